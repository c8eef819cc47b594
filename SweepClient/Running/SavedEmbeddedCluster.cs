using System.Text.Json;
using RiskAlign.Silo.Dashboard;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;

namespace RiskAlign.SweepClient.Running;

/// <summary>
/// The embedded cluster of a <c>run</c>, kept in its output folder so the sweep can be resumed after the process
/// died: the grains' state as JSON files under <c>state/</c> (<see cref="FileGrainStorage"/>) and, in
/// <c>state/embedded.json</c>, the settings to start the same silo again (plugins, assets, slots, threads, task cache,
/// reference budget; a null <see cref="TaskCache"/> means none).
/// </summary>
internal sealed record SavedEmbeddedCluster(string? PluginsConfig, string? Assets, int? CpuSlots, int? TorchThreads,
    string? TaskCache = null, string? ReferenceBudget = null)
{
    private const string SettingsFile = "embedded.json";

    /// <summary>Where a run's embedded cluster keeps its grain state.</summary>
    public static string StateFolder(DirectoryInfo outDir) => Path.Combine(outDir.FullName, "state");

    public void Save(DirectoryInfo outDir)
    {
        Directory.CreateDirectory(StateFolder(outDir));
        File.WriteAllText(Path.Combine(StateFolder(outDir), SettingsFile), JsonSerializer.Serialize(this));
    }

    /// <exception cref="InputCheckException">The folder holds no saved embedded cluster.</exception>
    public static SavedEmbeddedCluster Load(DirectoryInfo outDir)
    {
        var path = Path.Combine(StateFolder(outDir), SettingsFile);
        if (!File.Exists(path))
            throw new InputCheckException($"{path}: missing; only the --out folder of a `run` on its embedded cluster can be resumed without a cluster (for a running cluster pass --gateway or --adonet).");
        try
        {
            return JsonSerializer.Deserialize<SavedEmbeddedCluster>(File.ReadAllText(path)) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new InputCheckException($"{path}: not readable ({e.Message}).", e);
        }
    }

    /// <summary>The embedded silo's configuration, persisting to <see cref="StateFolder"/> of <paramref name="outDir"/>,
    /// serving the dashboard and live page on <paramref name="dashboardPort"/> when given (not saved: a port is this
    /// process's choice).</summary>
    public IReadOnlyDictionary<string, string?> Configuration(DirectoryInfo outDir, int? dashboardPort = null) => new Dictionary<string, string?>
    {
        [$"{PluginOptions.Section}:{nameof(PluginOptions.ConfigPath)}"] = PluginsConfig,
        [$"{PluginOptions.Section}:{nameof(PluginOptions.AssetsFolder)}"] = Assets,
        [$"{PluginOptions.Section}:{nameof(PluginOptions.ReferenceBudget)}"] = ReferenceBudget,
        [$"{PluginOptions.Section}:{nameof(PluginOptions.TaskCache)}"] = TaskCache ?? "",
        [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = CpuSlots?.ToString(),
        [$"{DeviceOptions.Section}:{nameof(DeviceOptions.TorchThreads)}"] = TorchThreads?.ToString(),
        [$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.StorageFolder)}"] = StateFolder(outDir),
        [LiveDashboard.PortKey] = dashboardPort?.ToString(),
    };
}
