using RiskAlign.SweepClient.Cluster;
namespace RiskAlign.SweepClient.Commands;

/// <summary><c>cancel ID</c>: stops a sweep's running trials within seconds; finished results and partial metrics stay stored.</summary>
internal static class CancelCommand
{
    public static Command Create()
    {
        var id = CommonOptions.SweepId();
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for the running trials to stop", DefaultValueFactory = _ => 30 };
        var target = new ClusterTarget();
        var command = new Command("cancel", "Cancel a sweep: pending trials never start, running ones stop at their next step and keep the metrics of their last evaluation; `results ID` still writes everything. Exit 0: cancelled, or already finished (it says so); 2: unknown id; 3: cluster unreachable.") { id, wait };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClusterTarget.GuardAsync(async () =>
        {
            await using var cluster = await target.ConnectAsync(parse, cancellationToken);
            var (sweep, snapshot) = await SweepLookup.FindAsync(cluster, parse.GetRequiredValue(id));
            var (message, _) = await CancelAsync(sweep, snapshot, TimeSpan.FromSeconds(parse.GetValue(wait)), cancellationToken);
            Console.Out.WriteLine(message);
            return 0;
        }));
        return command;
    }

    /// <summary>Cancels and waits (at most <paramref name="wait"/>) until every trial has a result.</summary>
    public static async Task<(string Message, SweepSnapshot Snapshot)> CancelAsync(ISweepGrain sweep, SweepSnapshot snapshot, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (snapshot.Status is SweepStatus.Completed or SweepStatus.Cancelled && snapshot.Finished == snapshot.Trials.Count)
            return ($"Sweep {snapshot.SweepId} has already finished ({snapshot.Status}); nothing to cancel.", snapshot);
        await sweep.Cancel();
        var deadline = DateTime.UtcNow + wait;
        while ((snapshot = await sweep.GetSnapshot()).Finished < snapshot.Trials.Count && DateTime.UtcNow < deadline)
            await Task.Delay(200, cancellationToken);
        int completed = snapshot.Trials.Count(t => t.Result?.Status == Framework.Trials.TrialStatus.Completed);
        int stillRunning = snapshot.Trials.Count - snapshot.Finished;
        return ($"Sweep {snapshot.SweepId} cancelled: {completed} completed trials kept, {snapshot.Finished - completed} stopped or never started" +
                (stillRunning > 0 ? $", {stillRunning} still winding down." : "."), snapshot);
    }
}
