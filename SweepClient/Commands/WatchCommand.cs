using RiskAlign.SweepClient.Cluster;
using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>watch ID</c>: live progress of a sweep on a running cluster, the same view as <c>run</c>; Ctrl+C stops watching, not the sweep.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var id = CommonOptions.SweepId();
        var target = new ClusterTarget();
        var command = new Command("watch", "Show a sweep's live progress (the view run shows) until it ends, then its trials and front. Ctrl+C stops watching; the sweep runs on. Exit 0: completed; 1: some trial failed; 2: unknown id; 3: cluster unreachable; 130: the sweep was cancelled.") { id };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClusterTarget.GuardAsync(async () =>
        {
            await using var cluster = await target.ConnectAsync(parse, cancellationToken);
            var (sweep, _) = await SweepLookup.FindAsync(cluster, parse.GetRequiredValue(id));
            return await FollowAsync(AnsiConsole.Console, sweep, cancellationToken);
        }));
        return command;
    }

    public static async Task<int> FollowAsync(IAnsiConsole console, ISweepGrain sweep, CancellationToken cancellationToken)
    {
        var snapshot = await new ProgressView(console, plainProgressSeconds: 5)
            .FollowAsync(sweep, SweepRun.PollInterval, _ => { }, cancellationToken, cancelSweepOnInterrupt: false);
        ResultTables.Write(console, snapshot);
        if (snapshot.Status == SweepStatus.Running)
        {
            console.MarkupLine($"Stopped watching; the sweep runs on ([bold]watch {Markup.Escape(snapshot.SweepId)}[/] to re-attach).");
            return 0;
        }
        return SweepResults.ExitCode(snapshot);
    }
}
