using System.CommandLine;

namespace RiskAlign.SweepClient.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<FileInfo?> Plugins() => new("--plugins")
    {
        Description = "plugins.json to load (default: plugins-config/plugins.json, searched upward from the working directory)",
    };

    public static Argument<FileInfo> Spec() => new("spec")
    {
        Description = "Sweep spec (JSON), for example plugins-config/sweeps/quickstart.json",
    };
}
