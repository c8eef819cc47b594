using System.Diagnostics;
using Microsoft.Extensions.Logging;
using RiskAlign.Framework.Pareto;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Grains;

/// <inheritdoc cref="ISweepGrain"/>
public sealed class SweepGrain(
    [PersistentState("sweep", SiloHostingExtensions.StorageName)] IPersistentState<SweepState> state,
    ISweepExpander expander,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    private readonly Dictionary<int, TrialProgress> _progress = [];
    private Activity? _sweepActivity;

    private SweepState State => state.State;
    private string SweepId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A sweep reactivated after a silo failure hands its unfinished trials out again.
        if (State.Status == SweepStatus.Running)
        {
            for (int i = 0; i < State.Statuses.Count; i++)
                if (State.Statuses[i] == TrialStatus.Running) State.Statuses[i] = TrialStatus.Pending;
            this.RegisterGrainTimer(_ => DispatchAsync(), TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
        return Task.CompletedTask;
    }

    public async Task<SweepStarted> Start(SweepRequest request)
    {
        if (State.Status != SweepStatus.NotStarted)
            throw new InvalidOperationException($"Sweep '{SweepId}' was started already ({State.Status}).");
        var expanded = expander.Expand(request.SpecJson, request.SourceName, SweepId);
        State.SpecJson = request.SpecJson;
        State.SourceName = request.SourceName;
        State.Name = expanded.Name;
        State.Trials = [.. expanded.Trials];
        State.Statuses = [.. expanded.Trials.Select(_ => TrialStatus.Pending)];
        State.Results = [.. expanded.Trials.Select(_ => (TrialResult?)null)];
        State.MaxConcurrentTrials = Math.Max(1, expanded.MaxConcurrentTrials);
        State.Status = SweepStatus.Running;

        _sweepActivity = RiskAlignTelemetry.ActivitySource.StartActivity(
            RiskAlignTelemetry.Spans.Sweep, ActivityKind.Internal,
            ActivityContext.TryParse(request.TraceParent, null, out var parent) ? parent : default);
        _sweepActivity?.SetTag(RiskAlignTelemetry.Tags.SweepId, SweepId);
        _sweepActivity?.SetTag("riskalign.sweep.trials", State.Trials.Count);
        State.TraceParent = _sweepActivity?.Id ?? request.TraceParent;

        await state.WriteStateAsync();
        logger.LogInformation("Sweep {SweepId} ({Name}) starts {Count} trials, {Max} at a time", SweepId, State.Name, State.Trials.Count, State.MaxConcurrentTrials);
        this.DelayDeactivation(TimeSpan.FromDays(7));
        await DispatchAsync();
        return new SweepStarted { SweepId = SweepId, TrialCount = State.Trials.Count, MaxConcurrentTrials = State.MaxConcurrentTrials };
    }

    public Task<SweepSnapshot> GetSnapshot()
    {
        var trials = State.Trials.Select((trial, i) => new TrialSnapshot
        {
            Trial = trial,
            Status = State.Statuses[i],
            Progress = _progress.GetValueOrDefault(i),
            Result = State.Results[i],
        }).ToList();
        var finished = State.Results.Where(r => r is not null).Select(r => r!).ToList();
        var front = ParetoFront.Of(finished);
        return Task.FromResult(new SweepSnapshot
        {
            SweepId = SweepId,
            Name = State.Name,
            Status = State.Status,
            Trials = trials,
            FrontIndices = [.. front.Points.Select(p => p.Trial.Index)],
            Hypervolume = front.Hypervolume,
        });
    }

    public async Task Cancel()
    {
        if (State.Status != SweepStatus.Running) return;
        State.Status = SweepStatus.Cancelled;
        var running = new List<Task>();
        for (int i = 0; i < State.Trials.Count; i++)
        {
            if (State.Statuses[i] == TrialStatus.Pending)
            {
                State.Statuses[i] = TrialStatus.Cancelled;
                State.Results[i] = new TrialResult { Trial = State.Trials[i], Status = TrialStatus.Cancelled, Error = "Sweep cancelled before the trial started." };
            }
            else if (State.Statuses[i] == TrialStatus.Running)
            {
                running.Add(GrainFactory.GetGrain<ITrialGrain>(State.Trials[i].Id).Cancel());
            }
        }
        await state.WriteStateAsync();
        await Task.WhenAll(running);
        FinishIfDone();
    }

    public Task ReportProgress(int trialIndex, TrialProgress progress)
    {
        if (trialIndex >= 0 && trialIndex < State.Trials.Count && State.Statuses[trialIndex] == TrialStatus.Running)
            _progress[trialIndex] = progress;
        return Task.CompletedTask;
    }

    public async Task ReportResult(TrialResult result)
    {
        int i = result.Trial.Index;
        if (i < 0 || i >= State.Trials.Count || State.Results[i] is not null) return; // a late duplicate
        State.Results[i] = result;
        State.Statuses[i] = result.Status;
        _progress.Remove(i);
        await state.WriteStateAsync();
        RiskAlignTelemetry.TrialsFinished.Add(1, new KeyValuePair<string, object?>(RiskAlignTelemetry.Tags.Status, result.Status.ToString()));
        logger.LogInformation("Trial {TrialId} {Status}: drift {Drift:G4}, reward {Reward:G4} ({Error})",
            result.Trial.Id, result.Status, result.Drift, result.Reward, result.Error ?? "ok");
        if (State.Status == SweepStatus.Running) await DispatchAsync();
        FinishIfDone();
    }

    private async Task DispatchAsync()
    {
        while (State.Status == SweepStatus.Running
               && State.Statuses.Count(s => s == TrialStatus.Running) < State.MaxConcurrentTrials
               && State.Statuses.IndexOf(TrialStatus.Pending) is var next and >= 0)
        {
            State.Statuses[next] = TrialStatus.Running;
            await GrainFactory.GetGrain<ITrialGrain>(State.Trials[next].Id).Start(State.Trials[next], State.TraceParent);
        }
        await state.WriteStateAsync();
    }

    private void FinishIfDone()
    {
        if (State.Results.Any(r => r is null)) return;
        if (State.Status == SweepStatus.Running) State.Status = SweepStatus.Completed;
        _sweepActivity?.SetTag("riskalign.sweep.status", State.Status.ToString());
        _sweepActivity?.Stop();
        _sweepActivity = null;
        logger.LogInformation("Sweep {SweepId} {Status}", SweepId, State.Status);
    }
}
