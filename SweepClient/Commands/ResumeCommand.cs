using RiskAlign.SweepClient.Cluster;
using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary>
/// <c>resume ID</c>: re-attaches to a sweep whose client died. Reading the sweep activates its grain; a sweep that
/// is still Running in storage (its cluster restarted with ADO.NET storage, or its client left) hands its unfinished
/// trials out again from the start, keeping the finished ones; a cancelled sweep runs its cancelled trials again.
/// Then it watches, as <c>watch</c> does. With <c>--out</c> it also writes the run's files, and without a cluster
/// named it starts the embedded cluster a <c>run</c> saved in that folder.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var id = CommonOptions.SweepId();
        var noWatch = new Option<bool>("--no-watch") { Description = "Return once the sweep runs again instead of watching it" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Write the files run writes here once the sweep ends; without --gateway/--adonet, the --out folder of a `run` whose process died: its saved embedded cluster is started again" };
        var target = new ClusterTarget();
        var command = new Command("resume", "Resume a sweep by id after its client (or, with ADO.NET storage, its cluster) died, or after it was cancelled: finished trials are kept, unfinished and cancelled ones run again from the start; then watch it. With --out DIR and no --gateway/--adonet, resumes the embedded cluster a `run --out DIR` saved there and writes the run's files. Exit codes as watch (with --out, as run).") { id, noWatch, output };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClusterTarget.GuardAsync(async () =>
        {
            if (parse.GetValue(output) is { } outDir)
            {
                if (target.IsNamed(parse)) OutputFolder.Prepare(outDir, overwrite: true);
                var saved = target.IsNamed(parse) ? null : SavedEmbeddedCluster.Load(outDir);
                using var held = saved is null ? null : StateFolderLock.Take(outDir);
                await using var into = saved is null
                    ? await target.ConnectAsync(parse, cancellationToken)
                    : await EmbeddedCluster.StartAsync(saved.Configuration(outDir), cancellationToken);
                return await SweepRun.ResumeIntoAsync(AnsiConsole.Console, into, parse.GetRequiredValue(id), expectedName: null, outDir, plainProgressSeconds: 5, cancellationToken);
            }
            await using var cluster = await target.ConnectAsync(parse, cancellationToken);
            return await ResumeAsync(cluster, parse.GetRequiredValue(id), expectedName: null, watch: !parse.GetValue(noWatch), cancellationToken);
        }));
        return command;
    }

    public static async Task<int> ResumeAsync(ClusterConnection cluster, string sweepId, string? expectedName, bool watch, CancellationToken cancellationToken)
    {
        var (sweep, snapshot) = await SweepLookup.FindAsync(cluster, sweepId);
        if (expectedName is not null && snapshot.Name != expectedName)
        {
            Console.Error.WriteLine($"error: sweep '{sweepId}' runs spec '{snapshot.Name}', not '{expectedName}'.");
            return UserErrors.ExitCode;
        }
        if (snapshot.Status == SweepStatus.Completed)
        {
            Console.Out.WriteLine($"Sweep {sweepId} has already finished (Completed); `results {sweepId}` writes its files.");
            return 0;
        }
        // A running sweep resumed when FindAsync's read activated it; a cancelled one runs its cancelled trials again.
        int reopened = await SweepRun.ReopenAsync(sweep);
        Console.Error.WriteLine(SweepRun.Describe(snapshot, reopened, cluster.Description));
        if (!watch) { Console.Out.WriteLine(sweepId); return 0; }
        return await WatchCommand.FollowAsync(AnsiConsole.Console, sweep, cancellationToken);
    }
}
