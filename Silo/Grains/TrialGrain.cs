using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Orleans.Placement;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Trials;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Grains;

/// <inheritdoc cref="ITrialGrain"/>
[ActivationCountBasedPlacement]
public sealed class TrialGrain(ITrialRunner runner, DeviceSlots slots, ILocalSiloDetails silo, ILogger<TrialGrain> logger) : Grain, ITrialGrain
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private CancellationTokenSource? _cancellation;
    private Task? _work;

    public Task Start(TrialDefinition trial, string? traceParent)
    {
        if (_work is { IsCompleted: false }) return Task.CompletedTask;
        _cancellation = new CancellationTokenSource();
        var sweep = GrainFactory.GetGrain<ISweepGrain>(trial.SweepId);
        var token = _cancellation.Token;
        this.DelayDeactivation(TimeSpan.FromDays(7));
        // Training is long and CPU/GPU bound: it runs on a thread of its own, never on the Orleans scheduler.
        _work = Task.Factory.StartNew(() => RunAsync(trial, traceParent, sweep, token), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        return Task.CompletedTask;
    }

    public Task Cancel()
    {
        _cancellation?.Cancel();
        return Task.CompletedTask;
    }

    private async Task RunAsync(TrialDefinition trial, string? traceParent, ISweepGrain sweep, CancellationToken token)
    {
        TrialResult result;
        try
        {
            using var lease = await slots.AcquireAsync(token);
            using var activity = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Trial, ActivityKind.Internal,
                ActivityContext.TryParse(traceParent, null, out var parent) ? parent : default);
            activity?.SetTag(RiskAlignTelemetry.Tags.SweepId, trial.SweepId);
            activity?.SetTag(RiskAlignTelemetry.Tags.TrialId, trial.Id);
            activity?.SetTag(RiskAlignTelemetry.Tags.Loss, trial.Loss.ToString());
            activity?.SetTag(RiskAlignTelemetry.Tags.RiskMeasure, trial.Risk?.ToString());
            activity?.SetTag(RiskAlignTelemetry.Tags.UncertaintySet, trial.UncertaintySet.ToString());
            activity?.SetTag(RiskAlignTelemetry.Tags.Seed, trial.Training.Seed);
            activity?.SetTag(RiskAlignTelemetry.Tags.Device, lease.Slot.Device);

            var progress = new ThrottledProgress(ProgressInterval, p => sweep.ReportProgress(trial.Index, p));
            result = runner.Run(trial, lease.Slot.Device, progress, token) with { Placement = $"{silo.SiloAddress} {lease.Slot}" };
            activity?.SetTag(RiskAlignTelemetry.Tags.Status, result.Status.ToString());
            if (result.Status is TrialStatus.Failed or TrialStatus.Diverged)
                activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        }
        catch (OperationCanceledException)
        {
            result = new TrialResult { Trial = trial, Status = TrialStatus.Cancelled, Error = "Cancelled before it finished." };
        }
        catch (Exception e)
        {
            logger.LogError(e, "Trial {TrialId} failed outside its runner", trial.Id);
            result = new TrialResult { Trial = trial, Status = TrialStatus.Failed, Error = e.Message };
        }
        await ReportWithRetryAsync(sweep, result);
    }

    private async Task ReportWithRetryAsync(ISweepGrain sweep, TrialResult result)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await sweep.ReportResult(result);
                return;
            }
            catch (Exception e) when (attempt < 5)
            {
                logger.LogWarning(e, "Reporting trial {TrialId} failed (attempt {Attempt}); retrying", result.Trial.Id, attempt);
                await Task.Delay(TimeSpan.FromSeconds(attempt));
            }
        }
    }
}
