using System.Text.Json;

namespace RiskAlign.Framework.Models.Checkpoints;

/// <summary>
/// One config.json key an architecture reads: the field it sets, its default when absent (null: required), the values
/// that are supported in words, and the test of a present value (null: any value of the right kind). A value the test
/// rejects is refused with a message naming the key, the value and <see cref="Supported"/>; nothing falls back silently.
/// </summary>
public sealed record ConfigKey(string Key, string Field, object? Default, string Supported, Func<JsonElement, bool>? Accepts = null)
{
    /// <summary>A key whose absence is an error.</summary>
    public bool Required => Default is null;

    /// <summary>Accepts only <paramref name="value"/> (or the key's absence, which means the default).</summary>
    public static Func<JsonElement, bool> Only(bool value) => e => e.ValueKind is JsonValueKind.True or JsonValueKind.False && e.GetBoolean() == value;

    /// <summary>Accepts only these strings.</summary>
    public static Func<JsonElement, bool> OneOf(params string[] values) => e => e.ValueKind == JsonValueKind.String && values.Contains(e.GetString());

    /// <summary>Accepts null only (the feature is off).</summary>
    public static bool IsNull(JsonElement e) => e.ValueKind == JsonValueKind.Null;
}
