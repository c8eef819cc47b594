using System.Diagnostics;
using RiskAlign.Framework.Reports;

namespace RiskAlign.SweepClient.Running;

/// <summary>
/// Polls a sweep until it ends and shows its progress: live bars on an interactive terminal, a plain line every
/// few seconds (and on every finished trial) otherwise. Cancellation (Ctrl+C) cancels the sweep and waits for it
/// to wind down, so the results of finished trials are kept.
/// </summary>
internal sealed class ProgressView(IAnsiConsole console, double plainProgressSeconds)
{
    /// <param name="cancelSweepOnInterrupt">true (run): Ctrl+C cancels the sweep and waits for it to wind down;
    /// false (watch): Ctrl+C only stops watching and the sweep runs on.</param>
    public async Task<SweepSnapshot> FollowAsync(ISweepGrain sweep, TimeSpan interval, Action<SweepSnapshot> onSnapshot, CancellationToken cancellationToken,
        bool cancelSweepOnInterrupt = true)
    {
        if (console.Profile.Capabilities.Interactive)
        {
            SweepSnapshot? last = null;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var overall = context.AddTask("trials finished");
                    var running = new Dictionary<int, ProgressTask>();
                    Func<TrialDefinition, string>? label = null;
                    last = await PollAsync(sweep, interval, cancelSweepOnInterrupt, cancellationToken, snapshot =>
                    {
                        onSnapshot(snapshot);
                        label ??= CompactLabels.For(snapshot.Trials.Select(t => t.Trial).ToList());
                        overall.MaxValue = Math.Max(1, Math.Max(snapshot.PlannedTrials, snapshot.Trials.Count));
                        overall.Value = snapshot.Finished;
                        foreach (var trial in snapshot.Trials)
                        {
                            int i = trial.Trial.Index;
                            if (trial.Status == TrialStatus.Running && !running.ContainsKey(i))
                                running[i] = context.AddTask(Markup.Escape($"#{i} {trial.Trial.Arm} {label(trial.Trial)}"), maxValue: trial.Trial.Training.Steps);
                            if (running.TryGetValue(i, out var task))
                            {
                                if (trial.Progress is { } p) task.Value = p.Step;
                                if (trial.Result is not null) { task.Value = task.MaxValue; task.StopTask(); }
                            }
                        }
                    });
                    overall.StopTask();
                });
            return last!;
        }

        var clock = Stopwatch.StartNew();
        TimeSpan? lastLine = null;
        int lastFinished = 0;
        return await PollAsync(sweep, interval, cancelSweepOnInterrupt, cancellationToken, snapshot =>
        {
            onSnapshot(snapshot);
            if (snapshot.Finished == lastFinished && lastLine is { } shown && clock.Elapsed - shown < TimeSpan.FromSeconds(plainProgressSeconds)) return;
            lastFinished = snapshot.Finished;
            lastLine = clock.Elapsed;
            var running = snapshot.Trials.Where(t => t.Status == TrialStatus.Running)
                .Select(t => $"#{t.Trial.Index} {t.Progress?.Step ?? 0}/{t.Trial.Training.Steps}");
            console.WriteLine($"[{Clock(clock.Elapsed)}] {snapshot.Finished}/{Math.Max(snapshot.PlannedTrials, snapshot.Trials.Count)} trials finished; running: {string.Join(", ", running)}");
        });
    }

    /// <summary>Elapsed time as mm:ss under an hour and h:mm:ss from then on (a long sweep's clock must not wrap).</summary>
    internal static string Clock(TimeSpan elapsed) =>
        elapsed.TotalHours >= 1 ? $"{(int)elapsed.TotalHours}:{elapsed:mm\\:ss}" : elapsed.ToString("mm\\:ss");

    /// <summary>How long the client keeps asking while its gateway or the sweep's silo is gone, before it gives up.</summary>
    internal static TimeSpan ReconnectWait { get; set; } = TimeSpan.FromSeconds(90);

    // While a gateway dies, calls fail until the client routes through another one (the ADO.NET membership table
    // lists them all) or the sweep grain is reactivated on a surviving silo; keep asking, within a bound.
    private static async Task<SweepSnapshot> GetSnapshotAsync(ISweepGrain sweep)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await sweep.GetSnapshot().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception) when (clock.Elapsed < ReconnectWait)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (Exception e)
            {
                throw new Cluster.ClusterUnreachableException(ReconnectWait, e);
            }
        }
    }

    private static async Task<SweepSnapshot> PollAsync(ISweepGrain sweep, TimeSpan interval, bool cancelSweepOnInterrupt, CancellationToken cancellationToken, Action<SweepSnapshot> show)
    {
        bool cancelSent = false;
        while (true)
        {
            var snapshot = await GetSnapshotAsync(sweep);
            show(snapshot);
            if (snapshot.Status is SweepStatus.Completed || (snapshot.Status is SweepStatus.Cancelled && snapshot.Finished == snapshot.Trials.Count))
                return snapshot;
            if (cancellationToken.IsCancellationRequested && !cancelSweepOnInterrupt)
                return snapshot;
            if (cancellationToken.IsCancellationRequested && !cancelSent)
            {
                cancelSent = true;
                await sweep.Cancel();
            }
            await Task.Delay(interval, CancellationToken.None);
        }
    }
}
