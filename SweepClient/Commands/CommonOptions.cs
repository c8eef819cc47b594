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

    public static Option<DirectoryInfo?> Assets() => new("--assets")
    {
        Description = "Assets folder with models and datasets (default: ../shared/assets or RISKALIGN_ASSETS)",
    };

    public static Argument<string> SweepId() => new("id")
    {
        Description = "Sweep id, as launch printed it (list shows them)",
    };

    public static Option<int?> Gateway() => new("--gateway")
    {
        Description = "Gateway port of a running localhost RiskAlign cluster (default 30000 when --adonet is not given)",
    };

    public static Option<string?> AdoNet() => new("--adonet")
    {
        Description = "ADO.NET connection string of a distributed cluster's membership database",
    };

    public static Option<double> ConnectTimeout() => new("--connect-timeout")
    {
        Description = "Seconds to wait for the cluster before giving up (exit 3)",
        DefaultValueFactory = _ => 15,
    };
}
