using System.Diagnostics;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;
using RiskAlign.Silo.Devices;
using RiskAlign.SweepClient.Cluster;
using RiskAlign.SweepClient.Telemetry;

namespace RiskAlign.SweepClient.Running;

/// <summary>
/// One <c>run</c>: validates the spec and its files before anything starts, connects to (or embeds) a cluster,
/// then does what <c>launch</c>, <c>watch</c> and <c>results</c> do one after the other: starts the sweep, shows
/// progress, writes results as they arrive (so a crash loses nothing finished) and the report at the end.
/// </summary>
public sealed class SweepRun(RunSettings settings, IAnsiConsole console)
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>0: sweep completed; 1: some trial failed; 2: bad input (nothing ran); 3: cluster unreachable; 130: cancelled.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var plan = SweepPlan.Prepare(settings.Spec, settings.Plugins, settings.Assets);
        var (spec, sweepId, trials) = (plan.Spec, plan.SweepId, plan.Trials);
        var outDir = settings.Out ?? new DirectoryInfo(Path.Combine("runs", sweepId));
        OutputFolder.Prepare(outDir, settings.Overwrite);
        console.MarkupLine($"[bold]{Markup.Escape(spec.Name)}[/]: {trials.Count} trials, {spec.MaxConcurrentTrials} at a time; results in [blue]{Markup.Escape(outDir.FullName)}[/]");

        SweepSnapshot snapshot;
        using (new TelemetrySetup(Path.Combine(outDir.FullName, "trace.jsonl"), settings.TraceConsole, settings.OtlpEndpoint))
        {
            using var activity = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Client, ActivityKind.Client);
            activity?.SetTag(RiskAlignTelemetry.Tags.SweepId, sweepId);
            await using var cluster = await ConnectAsync(plan.Catalog, cancellationToken);
            console.MarkupLine($"Running on the {Markup.Escape(cluster.Description)}.");
            var sweep = await StartAsync(cluster.Client, plan, settings.Spec, activity?.Id, cancellationToken);
            var writer = new IncrementalResults(outDir.FullName);
            snapshot = await new ProgressView(console, settings.PlainProgressSeconds)
                .FollowAsync(sweep, PollInterval, writer.Update, cancellationToken);
        }
        return SweepResults.Write(console, snapshot, outDir);
    }

    /// <summary>Starts the planned sweep on the cluster and records it in the cluster's registry (for <c>list</c>).</summary>
    internal static async Task<ISweepGrain> StartAsync(IClusterClient client, SweepPlan plan, FileInfo specFile, string? traceParent, CancellationToken cancellationToken)
    {
        var sweepId = plan.SweepId;
        var sweep = client.GetGrain<ISweepGrain>(sweepId);
        await sweep.Start(new SweepRequest
        {
            SweepId = sweepId,
            Name = plan.Spec.Name,
            Trials = plan.Trials,
            MaxConcurrentTrials = plan.Spec.MaxConcurrentTrials,
            MaxFailures = plan.Spec.MaxFailures,
            TraceParent = traceParent,
        });
        await client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).Register(new SweepEntry
        {
            SweepId = sweepId, Name = plan.Spec.Name, StartedUtc = DateTime.UtcNow, TrialCount = plan.Trials.Count,
        });
        return sweep;
    }

    private Task<ClusterConnection> ConnectAsync(PluginCatalog catalog, CancellationToken cancellationToken)
    {
        if (settings.Gateway is not null || settings.AdoNetConnectionString is not null)
            return RemoteCluster.ConnectAsync(settings.Gateway, settings.AdoNetConnectionString, settings.AdoNetInvariant, cancellationToken);
        var embedded = new Dictionary<string, string?>
        {
            [$"{PluginOptions.Section}:{nameof(PluginOptions.ConfigPath)}"] = catalog.ConfigPath,
            [$"{PluginOptions.Section}:{nameof(PluginOptions.AssetsFolder)}"] = settings.Assets?.FullName,
            [$"{PluginOptions.Section}:{nameof(PluginOptions.ReferenceBudget)}"] = settings.ReferenceBudget,
            [$"{PluginOptions.Section}:{nameof(PluginOptions.TaskCache)}"] = settings.TaskCache is null ? "" : Path.GetFullPath(settings.TaskCache),
            [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = settings.CpuSlots?.ToString(),
            [$"{DeviceOptions.Section}:{nameof(DeviceOptions.TorchThreads)}"] = settings.TorchThreads?.ToString(),
        };
        return EmbeddedCluster.StartAsync(embedded, cancellationToken);
    }
}
