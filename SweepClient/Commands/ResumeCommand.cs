using RiskAlign.SweepClient.Cluster;

namespace RiskAlign.SweepClient.Commands;

/// <summary>
/// <c>resume ID</c>: re-attaches to a sweep whose client died. Reading the sweep activates its grain; a sweep that
/// is still Running in storage (its cluster restarted with ADO.NET storage, or its client left) hands its unfinished
/// trials out again from the start, keeping the finished ones. Then it watches, as <c>watch</c> does.
/// </summary>
internal static class ResumeCommand
{
    public static Command Create()
    {
        var id = CommonOptions.SweepId();
        var noWatch = new Option<bool>("--no-watch") { Description = "Return once the sweep runs again instead of watching it" };
        var target = new ClusterTarget();
        var command = new Command("resume", "Resume a sweep by id after its client (or, with ADO.NET storage, its cluster) died: finished trials are kept, unfinished ones run again from the start; then watch it. Exit codes as watch; 2 also for a cancelled sweep (it cannot be resumed yet).") { id, noWatch };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClusterTarget.GuardAsync(async () =>
        {
            await using var cluster = await target.ConnectAsync(parse, cancellationToken);
            return await ResumeAsync(cluster, parse.GetRequiredValue(id), expectedName: null, watch: !parse.GetValue(noWatch), cancellationToken);
        }));
        return command;
    }

    public static async Task<int> ResumeAsync(ClusterConnection cluster, string sweepId, string? expectedName, bool watch, CancellationToken cancellationToken)
    {
        var (sweep, snapshot) = await ClusterTarget.FindAsync(cluster, sweepId);
        if (expectedName is not null && snapshot.Name != expectedName)
        {
            Console.Error.WriteLine($"error: sweep '{sweepId}' runs spec '{snapshot.Name}', not '{expectedName}'.");
            return UserErrors.ExitCode;
        }
        switch (snapshot.Status)
        {
            case SweepStatus.Completed:
                Console.Out.WriteLine($"Sweep {sweepId} has already finished (Completed); `results {sweepId}` writes its files.");
                return 0;
            case SweepStatus.Cancelled:
                Console.Error.WriteLine($"error: sweep {sweepId} was cancelled; resuming a cancelled sweep is not supported yet (launch the spec again).");
                return UserErrors.ExitCode;
        }
        Console.Error.WriteLine($"Resumed {sweepId}: {snapshot.Finished}/{snapshot.Trials.Count} trials finished and kept; the rest run on the {cluster.Description}.");
        if (!watch) { Console.Out.WriteLine(sweepId); return 0; }
        return await WatchCommand.FollowAsync(AnsiConsole.Console, sweep, cancellationToken);
    }
}
