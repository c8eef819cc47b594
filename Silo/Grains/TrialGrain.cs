using System.Diagnostics;
using System.Globalization;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Framework.Training;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Placement;
using RiskAlign.Silo.Trials;

namespace RiskAlign.Silo.Grains;

/// <inheritdoc cref="ITrialGrain"/>
// The sweep grain reserves a free slot on the slot board and the trial is activated on that silo
// (docs/architecture.md, "Placement"); the silo's own device slots still guard against a board that lags.
[SlotPlacement]
public sealed class TrialGrain(ITrialRunner runner, DeviceSlots slots, ILocalSiloDetails silo, ILogger<TrialGrain> logger) : Grain, ITrialGrain
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    /// <summary>How often a queued or running trial tells its sweep it is alive. Besides liveness, the call
    /// reactivates a sweep grain whose silo died, so it reloads its state and re-sends what that silo held.</summary>
    internal static TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How long a finished trial keeps trying to hand its result to the sweep (its silo may be dying). After
    /// that the result stays here (<see cref="Check"/>): the sweep fetches it once the trial has been quiet a while.</summary>
    private static readonly TimeSpan ReportDeadline = TimeSpan.FromMinutes(10);
    /// <summary>How long a run cancelled at its time limit has to return before the trial fails without it.</summary>
    internal static TimeSpan StopGrace { get; set; } = TimeSpan.FromMinutes(1);

    private CancellationTokenSource? _cancellation;
    private volatile string? _stopReason;
    private Task? _work;
    private IGrainTimer? _heartbeat;
    // The last run's result, set (on the run's thread) before it is reported, and kept after.
    private volatile TrialResult? _finished;

    public Task<string> Start(TrialDefinition trial, int attempt, string? traceParent)
    {
        var here = silo.SiloAddress.ToParsableString();
        // The kind of slot the board reserved here; without a grant (an older caller), whatever the spec allows.
        var kinds = SlotPlacement.TakeGrantedKind() is { } granted ? [granted] : SlotKinds.For(trial.Training.Device);
        if (_work is { IsCompleted: false }) return Task.FromResult(here);
        _cancellation = new CancellationTokenSource();
        _stopReason = null;
        _finished = null;
        var sweep = GrainFactory.GetGrain<ISweepGrain>(trial.SweepId);
        var token = _cancellation.Token;
        this.DelayDeactivation(TimeSpan.FromDays(7));
        _heartbeat?.Dispose();
        // A finished trial is silent: if its result does not arrive, the sweep notices the silence and asks (Check).
        _heartbeat = this.RegisterGrainTimer(() => _work is { IsCompleted: true } || _finished is not null ? Task.CompletedTask : sweep.TrialAlive(trial.Index, attempt, here),
            HeartbeatInterval, HeartbeatInterval);
        // Off the Orleans scheduler; the training itself gets a thread of its own (RunTrialAsync).
        _work = Task.Run(() => RunAsync(trial, attempt, traceParent, kinds, sweep, token));
        return Task.FromResult(here);
    }

    public Task<TrialCheck> Check() =>
        Task.FromResult(new TrialCheck { Running = _work is { IsCompleted: false } && _finished is null, Result = _finished });

    public Task Cancel()
    {
        _cancellation?.Cancel();
        return Task.CompletedTask;
    }

    public Task Stop(string reason)
    {
        if (_work is { IsCompleted: false })
        {
            // The first reason stands: a trial still training when a later rung (or the budget) stops it again was
            // stopped by the first decision, which the cancel has not caught up with yet.
            _stopReason ??= reason;
            _cancellation?.Cancel();
        }
        return Task.CompletedTask;
    }

    private async Task RunAsync(TrialDefinition trial, int attempt, string? traceParent, IReadOnlyList<SlotKind> kinds, ISweepGrain sweep,
        CancellationToken token)
    {
        TrialResult result;
        try
        {
            result = await RunTrialAsync(trial, attempt, traceParent, kinds, sweep, token);
        }
        catch (Exception e)
        {
            // Nothing around the run is meant to throw; if something does, the trial still ends with a result instead
            // of a faulted task nobody observes (and a sweep that waits for it).
            logger.LogError(e, "Trial {TrialId} failed outside its run", trial.Id);
            result = TrialExecutor.ResultOf(trial, e, CancellationToken.None);
        }
        _finished = result;
        await ReportWithRetryAsync(sweep, result, attempt);
    }

    private async Task<TrialResult> RunTrialAsync(TrialDefinition trial, int attempt, string? traceParent, IReadOnlyList<SlotKind> kinds,
        ISweepGrain sweep, CancellationToken token)
    {
        TrialResult result;
        TrialSpanRecorder.EnsureListening(); // so the spans below exist even on a silo without an exporter
        // Each attempt is a span of its own; a re-sent trial shows one span per silo that ran it.
        using var activity = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Trial, ActivityKind.Internal,
            ActivityContext.TryParse(traceParent, null, out var parent) ? parent : default);
        activity?.SetTag(RiskAlignTelemetry.Tags.SweepId, trial.SweepId);
        activity?.SetTag(RiskAlignTelemetry.Tags.TrialId, trial.Id);
        activity?.SetTag("riskalign.trial.attempt", attempt);
        activity?.SetTag(RiskAlignTelemetry.Tags.Loss, trial.Loss.ToString());
        activity?.SetTag(RiskAlignTelemetry.Tags.RiskMeasure, trial.Risk?.ToString());
        activity?.SetTag(RiskAlignTelemetry.Tags.UncertaintySet, trial.UncertaintySet.ToString());
        activity?.SetTag(RiskAlignTelemetry.Tags.Seed, trial.Training.Seed);
        using var spans = activity is null ? null : TrialSpanRecorder.Record(activity);
        var timeLimit = trial.Training.TimeLimit;
        bool timedOut = false;
        try
        {
            var lease = await slots.AcquireAsync(kinds, trial.Id, token);
            activity?.SetTag(RiskAlignTelemetry.Tags.Device, lease.Slot.Device);
            var progress = new ThrottledProgress(ProgressInterval, p => sweep.ReportProgress(trial.Index, p));
            var limited = CancellationTokenSource.CreateLinkedTokenSource(token);
            if (timeLimit is { } limit) limited.CancelAfter(limit);
            // Training is long and CPU/GPU bound: a thread of its own, never the thread pool that runs Orleans' grains and
            // timers (after an asynchronous wait for a slot, this method continues on a pool thread).
            var run = Task.Factory.StartNew(() => runner.Run(trial, lease.Slot.Device, progress, limited.Token), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
            // The slot is free only once the run's thread has returned, even if the trial stops waiting for it below.
            _ = run.ContinueWith(_ =>
            {
                lease.Dispose();
                limited.Dispose();
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            if (timeLimit is { } deadline && !await ReturnsWithinAsync(run, deadline + StopGrace))
            {
                // Cancelled at its limit, the run did not come back: stuck in a step (a native call, a deadlock). Its
                // thread and slot are given up for lost rather than waited on for ever.
                logger.LogError("Trial {TrialId} passed its time limit and did not stop within {Grace} s; its thread still holds slot {Slot}",
                    trial.Id, StopGrace.TotalSeconds, lease.Slot);
                result = new TrialResult
                {
                    Trial = trial,
                    Status = TrialStatus.Failed,
                    Error = string.Create(CultureInfo.InvariantCulture, $"Reached its time limit of {MinutesText.Of(deadline)} and did not stop within "
                        + $"{StopGrace.TotalSeconds:0.#} s of being cancelled (stuck in a step); its thread keeps slot {lease.Slot} of {silo.SiloAddress} until it returns."),
                    WallSeconds = (deadline + StopGrace).TotalSeconds,
                };
            }
            else
            {
                result = await run with { Placement = $"{silo.SiloAddress} {lease.Slot}" };
                timedOut = limited.IsCancellationRequested && !token.IsCancellationRequested;
            }
        }
        catch (Exception e)
        {
            // The runner never throws for the trial's own trouble; this is the wait for a slot being cancelled.
            result = TrialExecutor.ResultOf(trial, e, token);
        }
        // A stop is a cancel the sweep asked for, and a time limit one the spec asked for: same partial result, recorded
        // as stopped early. A trial that trained to its last step before the stop arrived stays Completed.
        string? stopReason = _stopReason ?? (timedOut ? $"Reached its time limit of {MinutesText.Of(timeLimit!.Value)}" : null);
        if (stopReason is not null && result.Status == TrialStatus.Cancelled)
            result = result with { Status = TrialStatus.Stopped, Error = $"{stopReason}; stopped after {result.StepsCompleted} of {trial.Training.Steps} steps." };
        activity?.SetTag(RiskAlignTelemetry.Tags.Status, result.Status.ToString());
        if (result.Status is TrialStatus.Failed or TrialStatus.Diverged)
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        // Stopped here, not at the end of the method, so the trial span itself travels with the result.
        activity?.Stop();
        if (spans is not null) result = result with { Spans = spans.Spans };
        return result;
    }

    private static async Task<bool> ReturnsWithinAsync(Task run, TimeSpan within)
    {
        using var returned = new CancellationTokenSource();
        var late = Task.Delay(within, returned.Token);
        bool inTime = await Task.WhenAny(run, late) == run;
        returned.Cancel(); // the timer of a trial that returned in time, which may be set days ahead
        return inTime;
    }

    private async Task ReportWithRetryAsync(ISweepGrain sweep, TrialResult result, int attempt)
    {
        // While the sweep's silo dies, calls fail until membership declares it dead and the grain reactivates
        // elsewhere; keep trying (backing off to 5 s) so a finished result is not lost.
        var clock = Stopwatch.StartNew();
        for (int tries = 1; ; tries++)
        {
            try
            {
                await sweep.ReportResult(result, attempt);
                return;
            }
            catch (Exception e)
            {
                if (clock.Elapsed >= ReportDeadline)
                {
                    logger.LogError("Reporting trial {TrialId} failed for {Minutes} minutes ({Error}); its result waits here for the sweep to ask",
                        result.Trial.Id, ReportDeadline.TotalMinutes, e.Message);
                    return;
                }
                logger.LogWarning("Reporting trial {TrialId} failed (try {Try}: {Error}); retrying", result.Trial.Id, tries, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, tries)));
            }
        }
    }
}
