using System.Diagnostics;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Reports;
using RiskAlign.Framework.Sweeps;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Grains;
using RiskAlign.SweepClient.Cluster;
using RiskAlign.SweepClient.Telemetry;
using Spectre.Console;
using RiskAlign.Framework.Trials;

namespace RiskAlign.SweepClient.Running;

/// <summary>
/// One <c>run</c>: validates the spec before anything starts, connects to (or embeds) a cluster, starts the sweep,
/// shows progress, writes results as they arrive (so a crash loses nothing finished) and the report at the end.
/// </summary>
public sealed class SweepRun(RunSettings settings, IAnsiConsole console)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>0: sweep completed; 1: some trial failed; 2: bad input (nothing ran); 130: cancelled.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var catalog = settings.Plugins is { } pluginsFile ? PluginCatalog.Load(pluginsFile.FullName) : PluginCatalog.LoadDefault();
        var spec = SweepSpec.Load(settings.Spec.FullName);
        // Unique even for the same spec launched twice in one second; the name stays readable in the id.
        var sweepId = $"{spec.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var trials = SweepPlanner.Expand(spec, catalog, sweepId);
        var outDir = settings.Out ?? new DirectoryInfo(Path.Combine("runs", sweepId));
        if (outDir.Exists && outDir.EnumerateFileSystemInfos().Any() && !settings.Overwrite)
            throw new OutputFolderInUseException(outDir.FullName);
        outDir.Create();
        console.MarkupLine($"[bold]{Markup.Escape(spec.Name)}[/]: {trials.Count} trials, {spec.MaxConcurrentTrials} at a time; results in [blue]{Markup.Escape(outDir.FullName)}[/]");

        SweepSnapshot snapshot;
        using (new TelemetrySetup(Path.Combine(outDir.FullName, "trace.jsonl"), settings.TraceConsole, settings.OtlpEndpoint))
        {
            using var activity = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Client, ActivityKind.Client);
            activity?.SetTag(RiskAlignTelemetry.Tags.SweepId, sweepId);
            await using var cluster = await ConnectAsync(catalog, cancellationToken);
            console.MarkupLine($"Running on the {Markup.Escape(cluster.Description)}.");
            var sweep = cluster.Client.GetGrain<ISweepGrain>(sweepId);
            await sweep.Start(new SweepRequest
            {
                SweepId = sweepId,
                Name = spec.Name,
                Trials = trials,
                MaxConcurrentTrials = spec.MaxConcurrentTrials,
                MaxFailures = spec.MaxFailures,
                TraceParent = activity?.Id,
            });
            var writer = new IncrementalResults(outDir.FullName);
            snapshot = await new ProgressView(console, settings.PlainProgressSeconds)
                .FollowAsync(sweep, PollInterval, writer.Update, cancellationToken);
        }

        var results = snapshot.Trials.Select(t => t.Result).OfType<TrialResult>().ToList();
        var files = SweepReport.WriteAll(outDir.FullName, snapshot.Name, results);
        ResultTables.Write(console, snapshot);
        console.MarkupLine("Wrote " + string.Join(", ", files.Select(f => $"[blue]{Markup.Escape(Path.GetRelativePath(Directory.GetCurrentDirectory(), f))}[/]")));
        if (snapshot.Status == SweepStatus.Cancelled) return 130;
        return results.Any(r => r.Status == TrialStatus.Failed) ? 1 : 0;
    }

    private Task<ClusterConnection> ConnectAsync(PluginCatalog catalog, CancellationToken cancellationToken)
    {
        if (settings.Gateway is not null || settings.AdoNetConnectionString is not null)
            return RemoteCluster.ConnectAsync(settings.Gateway, settings.AdoNetConnectionString, settings.AdoNetInvariant, cancellationToken);
        var embedded = new Dictionary<string, string?>
        {
            [$"{PluginOptions.Section}:{nameof(PluginOptions.ConfigPath)}"] = catalog.ConfigPath,
            [$"{PluginOptions.Section}:{nameof(PluginOptions.AssetsFolder)}"] = settings.Assets?.FullName,
            [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = settings.CpuSlots?.ToString(),
            [$"{DeviceOptions.Section}:{nameof(DeviceOptions.TorchThreads)}"] = settings.TorchThreads?.ToString(),
        };
        return EmbeddedCluster.StartAsync(embedded, cancellationToken);
    }
}
