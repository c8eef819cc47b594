using System.Diagnostics;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Dashboard;
using RiskAlign.SweepClient.Cluster;
using RiskAlign.SweepClient.Telemetry;

namespace RiskAlign.SweepClient.Running;

/// <summary>
/// One <c>run</c>: validates the spec and its files before anything starts, connects to (or embeds) a cluster,
/// then does what <c>launch</c>, <c>watch</c> and <c>results</c> do one after the other: starts the sweep, shows
/// progress, writes results as they arrive (so a crash loses nothing finished) and the report at the end. The
/// embedded cluster keeps its state in the output folder, so <c>run SPEC --resume ID</c> (or <c>resume ID --out
/// DIR</c>) finishes a sweep whose process died.
/// </summary>
public sealed class SweepRun(RunSettings settings, IAnsiConsole console)
{
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private bool Remote => settings.Gateway is not null || settings.AdoNetConnectionString is not null;

    /// <summary>0: sweep completed; 1: some trial failed; 2: bad input (nothing ran); 3: cluster unreachable; 130: cancelled.</summary>
    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        var plan = SweepPlan.Prepare(settings.Spec, settings.Plugins, settings.Assets);
        if (!Remote) EnsureEmbeddedCanPlace(plan.Spec);
        if (settings.ResumeId is { } resumeId) return await ResumeAsync(plan, resumeId, cancellationToken);
        var (spec, sweepId) = (plan.Spec, plan.SweepId);
        var outDir = settings.Out ?? new DirectoryInfo(Path.Combine("runs", sweepId));
        OutputFolder.Prepare(outDir, settings.Overwrite);
        // Held before anything is written there, for as long as the embedded cluster may run on the folder's state.
        using var held = Remote ? null : StateFolderLock.Take(outDir);
        if (spec.Training.Save != TrialSave.None)
        {
            // Saved policies go beside the results: {out}/models/{trial id}, or under the spec's save_dir (absolute, as the
            // embedded silo runs where this client does). Proposed trials inherit it from their arm's template.
            var saveFolder = Path.GetFullPath(spec.Training.SaveFolder ?? Path.Combine(outDir.FullName, "models"));
            TrialDefinition SavingTo(TrialDefinition t) => t with { Training = t.Training with { SaveFolder = saveFolder } };
            plan = plan with
            {
                Trials = plan.Trials.Select(SavingTo).ToList(),
                Search = plan.Search is { } search ? search with { Arms = search.Arms.Select(a => a with { Template = SavingTo(a.Template) }).ToList() } : null,
            };
        }
        console.MarkupLine($"[bold]{Markup.Escape(spec.Name)}[/]: {plan.TrialCount} trials{(plan.Search is { Arms.Count: > 0 } ? " (proposed by nsga2 as results arrive)" : "")}, {spec.MaxConcurrentTrials} at a time; results in [blue]{Markup.Escape(outDir.FullName)}[/]");
        console.MarkupLine($"Sweep id [bold]{Markup.Escape(sweepId)}[/]" + (Remote ? "" : $"; if this process dies, `run SPEC --resume {Markup.Escape(sweepId)} --out DIR` finishes it."));

        SweepSnapshot snapshot;
        using (new TelemetrySetup(Path.Combine(outDir.FullName, "trace.jsonl"), settings.TraceConsole, settings.OtlpEndpoint))
        {
            using var activity = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Client, ActivityKind.Client);
            activity?.SetTag(RiskAlignTelemetry.Tags.SweepId, sweepId);
            await using var cluster = await ConnectAsync(plan.Catalog, outDir, cancellationToken);
            console.MarkupLine($"Running on the {Markup.Escape(cluster.Description)}.");
            if (settings.Dashboard is { } port)
            {
                var (dashboard, page) = LiveDashboard.Urls(port);
                console.MarkupLine($"Orleans Dashboard: [blue]{dashboard}[/]");
                console.MarkupLine($"Live drift-vs-reward: [blue]{page}?sweep={Markup.Escape(Uri.EscapeDataString(sweepId))}[/]");
            }
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
            Search = plan.Search,
            TimeBudget = plan.Spec.TimeBudget,
        });
        await client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).Register(new SweepEntry
        {
            SweepId = sweepId, Name = plan.Spec.Name, StartedUtc = DateTime.UtcNow, TrialCount = plan.TrialCount,
        });
        return sweep;
    }

    /// <summary>
    /// The embedded cluster offers this machine's devices only: a spec whose trials train on a GPU alone
    /// (<c>training.device: "gpu"</c>) would wait for ever on a machine without one, so it is refused before anything
    /// starts. A running cluster may gain GPU silos later, so <c>--gateway</c>/<c>--adonet</c> are not checked.
    /// </summary>
    /// <exception cref="InputCheckException">GPU-only trials and no CUDA device.</exception>
    internal static void EnsureEmbeddedCanPlace(SweepSpec spec)
    {
        if (spec.Training.Device == TrialDevice.Gpu && !TorchSharp.torch.cuda.is_available())
            throw new InputCheckException("training.device is \"gpu\", but this machine has no CUDA device for the embedded cluster " +
                "(libtorch sees none); use \"any\" or \"cpu\", or run on a cluster with GPU silos (--gateway or --adonet).");
    }

    /// <summary>Why <c>--dashboard</c> cannot be served (only the embedded silo serves one; the port must be free), or null.</summary>
    internal static string? FindDashboardProblem(RunSettings settings)
    {
        if (settings.Dashboard is not { } port) return null;
        if (settings.Gateway is not null || settings.AdoNetConnectionString is not null)
            return "--dashboard serves the embedded silo's dashboard; with --gateway or --adonet, start a Silo with --dashboard PORT instead";
        return LiveDashboard.FindPortProblem(port);
    }

    /// <summary><c>run SPEC --resume ID</c>: on the named cluster, or on the embedded one saved in the output folder.</summary>
    private async Task<int> ResumeAsync(SweepPlan plan, string sweepId, CancellationToken cancellationToken)
    {
        var outDir = settings.Out ?? new DirectoryInfo(Path.Combine("runs", sweepId));
        if (Remote) OutputFolder.Prepare(outDir, overwrite: true);
        else SavedEmbeddedCluster.Load(outDir); // proves the folder holds a saved cluster; this run's own settings start it
        using var held = Remote ? null : StateFolderLock.Take(outDir);
        await using var cluster = Remote
            ? await RemoteCluster.ConnectAsync(settings.Gateway, settings.AdoNetConnectionString, settings.AdoNetInvariant, cancellationToken)
            : await EmbeddedCluster.StartAsync(EmbeddedSettings(plan.Catalog).Configuration(outDir, settings.Dashboard), cancellationToken);
        using (settings.TraceConsole || settings.OtlpEndpoint is not null ? new TelemetrySetup(null, settings.TraceConsole, settings.OtlpEndpoint) : null)
        {
            return await ResumeIntoAsync(console, cluster, sweepId, plan.Spec.Name, outDir, settings.PlainProgressSeconds, cancellationToken);
        }
    }

    /// <summary>
    /// Resumes sweep <paramref name="sweepId"/> on <paramref name="cluster"/> (reading it reloads a sweep that was
    /// running from storage; a cancelled one runs its cancelled trials again), follows it as <c>run</c> does and
    /// writes every file <c>run</c> writes into <paramref name="outDir"/>, trace.jsonl from the spans the cluster
    /// stored (so it holds every trial, whichever process ran it).
    /// </summary>
    internal static async Task<int> ResumeIntoAsync(IAnsiConsole console, ClusterConnection cluster, string sweepId, string? expectedName,
        DirectoryInfo outDir, double plainProgressSeconds, CancellationToken cancellationToken)
    {
        var (sweep, snapshot) = await SweepLookup.FindAsync(cluster, sweepId);
        if (expectedName is not null && snapshot.Name != expectedName)
            throw new InputCheckException($"sweep '{sweepId}' runs spec '{snapshot.Name}', not '{expectedName}'.");
        int reopened = await ReopenAsync(sweep);
        console.MarkupLine(Markup.Escape(Describe(snapshot, reopened, cluster.Description)));
        var writer = new IncrementalResults(outDir.FullName);
        snapshot = await new ProgressView(console, plainProgressSeconds).FollowAsync(sweep, PollInterval, writer.Update, cancellationToken);
        return await SweepResults.WriteFromClusterAsync(console, sweep, snapshot, outDir);
    }

    /// <summary><see cref="ISweepGrain.Resume"/>, with a sweep still stopping its cancelled trials as a user error.</summary>
    internal static async Task<int> ReopenAsync(ISweepGrain sweep)
    {
        try
        {
            return await sweep.Resume();
        }
        catch (InvalidOperationException e)
        {
            throw new InputCheckException(e.Message, e);
        }
    }

    internal static string Describe(SweepSnapshot before, int reopened, string where) => before.Status switch
    {
        SweepStatus.Completed => $"Sweep {before.SweepId} has already finished (Completed); nothing runs again.",
        SweepStatus.Cancelled => $"Resumed cancelled sweep {before.SweepId}: {before.Trials.Count - reopened} finished trials kept, {reopened} cancelled trials run again from the start on the {where}.",
        _ => $"Resumed {before.SweepId}: {before.Finished}/{before.Trials.Count} trials finished and kept; the rest run on the {where}.",
    };

    private SavedEmbeddedCluster EmbeddedSettings(PluginCatalog catalog) =>
        new(catalog.ConfigPath, settings.Assets?.FullName, settings.CpuSlots, settings.TorchThreads,
            settings.TaskCache is null ? null : Path.GetFullPath(settings.TaskCache), settings.ReferenceBudget);

    private async Task<ClusterConnection> ConnectAsync(PluginCatalog catalog, DirectoryInfo outDir, CancellationToken cancellationToken)
    {
        if (Remote)
            return await RemoteCluster.ConnectAsync(settings.Gateway, settings.AdoNetConnectionString, settings.AdoNetInvariant, cancellationToken);
        var embedded = EmbeddedSettings(catalog);
        embedded.Save(outDir);
        return await EmbeddedCluster.StartAsync(embedded.Configuration(outDir, settings.Dashboard), cancellationToken);
    }
}
