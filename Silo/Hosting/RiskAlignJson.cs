using System.Text.Json;
using System.Text.Json.Serialization;

namespace RiskAlign.Silo.Hosting;

/// <summary>
/// JSON settings for the Framework's records (trials, results, parameter values) when Orleans carries them
/// between grains and silos: they stay plain records, without Orleans attributes. NaN must survive (diverged trials).
/// </summary>
public static class RiskAlignJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Framework and Abstractions types travel as JSON; the silo's own messages use Orleans' codecs.</summary>
    public static bool IsCarriedAsJson(Type type) =>
        type.Namespace is { } ns
        && (ns.StartsWith("RiskAlign.Framework.", StringComparison.Ordinal) || ns.StartsWith("RiskAlign.Abstractions", StringComparison.Ordinal));
}
