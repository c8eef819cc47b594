using System.Diagnostics;
using Orleans.Placement;
using Orleans.Storage;
using RiskAlign.Framework.Pareto;
using RiskAlign.Framework.Sweeps;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Placement;

namespace RiskAlign.Silo.Grains;

/// <inheritdoc cref="ISweepGrain"/>
/// <remarks>
/// Failure handling (docs/architecture.md, "Failure semantics"): the grain stores, per trial, the silo that runs
/// its current attempt, and a grain timer compares those silos with Orleans' membership table. A trial whose silo
/// the cluster declared dead goes back to the queue (one more lost attempt, Failed after <c>max_failures</c>). The
/// membership table is the cluster's own agreed verdict (probes, votes, a shared store with ADO.NET), so it is
/// preferred over heartbeats of our own, which would need a timeout that a long task build could exceed. The grain
/// itself may die with its silo: the next call (a trial's heartbeat or result, a client's poll) reactivates it from
/// storage, and the same check re-sends what the dead silo held. When every silo died, the sweep's reminder (kept
/// while it runs, stored by the ADO.NET reminder provider) reactivates it once silos are back, with no client.
/// A finished sweep reactivates to report only.
/// </remarks>
// On the silo that received the client's call (its gateway): with localhost clustering, the primary silo a client
// connects to is the one whose death ends the cluster anyway, so the sweep does not die with a worker silo.
[PreferLocalPlacement]
public sealed class SweepGrain(
    [PersistentState("sweep", GrainStorageName.RiskAlign)] IPersistentState<SweepState> state,
    IClusterMembershipService membership,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    /// <summary>Period of the reminder an unfinished sweep keeps, so that it resumes with no client once a silo is
    /// back after every silo died (ADO.NET reminders outlive the cluster). Orleans' minimum is one minute unless
    /// <c>ReminderOptions.MinimumReminderPeriod</c> says otherwise.</summary>
    internal static TimeSpan ResumePeriod { get; set; } = TimeSpan.FromMinutes(1);
    private const string ResumeReminder = "resume";

    /// <summary>How often a sweep with unfinished trials checks their silos against membership and dispatches.</summary>
    internal static TimeSpan WatchInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a running trial on a live silo may send nothing (heartbeat, progress, result) before the sweep
    /// asks its grain what became of it (<see cref="ITrialGrain.Check"/>). A finished trial stops its heartbeat, so a
    /// result that did not arrive is fetched after about this long.</summary>
    internal static TimeSpan QuietAfter { get; set; } = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(10);

    private readonly Dictionary<int, TrialProgress> _progress = [];
    // When this activation last heard from each running trial (in memory: a new activation starts the clock afresh).
    private readonly Dictionary<int, DateTime> _lastHeard = [];
    private Activity? _sweepActivity;
    private IGrainTimer? _watch;
    // A change to the state that no write has stored yet (a silo learned from a heartbeat).
    private bool _unsaved;

    private SweepState State => state.State;
    private string SweepId => this.GetPrimaryKeyString();
    // A running search with settings left to propose is not finished even when every trial so far is.
    private bool AllFinished => State.Results.All(r => r is not null)
        && (State.Status != SweepStatus.Running || BudgetSpent || !SearchProposer.HasMore(State.Search, State.Trials));
    // Past its time budget a sweep starts nothing more; the watch stops what runs (EnforceBudgetAsync).
    private bool BudgetSpent => State.TimeBudget is { } budget && State.StartedUtc is { } started && DateTime.UtcNow - started >= budget;
    // The trials this activation asked to stop because the budget ran out (asked again by a later activation).
    private readonly HashSet<int> _stoppedForBudget = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Status == SweepStatus.NotStarted) return Task.CompletedTask;
        if (AllFinished)
        {
            // Finished in storage: this activation only answers GetSnapshot. Nothing is dispatched or re-run.
            logger.LogInformation("Sweep {SweepId} reactivated {Status}; it reports its results only", SweepId, State.Status);
            return Task.CompletedTask;
        }
        // A sweep restored after its silo died (or after a full restart) resumes: the watch re-sends the trials of
        // dead silos and dispatches the queue. A Running trial without a silo never reached one.
        for (int i = 0; i < State.Trials.Count; i++)
            if (State.Statuses[i] == TrialStatus.Running && State.Silos[i] is null) State.Statuses[i] = TrialStatus.Pending;
        logger.LogInformation("Sweep {SweepId} reactivated {Status} with {Open} unfinished trials; resuming",
            SweepId, State.Status, State.Results.Count(r => r is null));
        this.DelayDeactivation(TimeSpan.FromDays(7));
        StartWatch(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public async Task<SweepStarted> Start(SweepRequest request)
    {
        if (State.Status != SweepStatus.NotStarted)
            throw new InvalidOperationException($"Sweep '{SweepId}' was started already ({State.Status}).");
        // The client validated and expanded the spec (SweepPlanner); these are invariants, not user errors.
        if (request.SweepId != SweepId || (request.Trials.Count == 0 && !SearchProposer.HasMore(request.Search, [])) || request.MaxConcurrentTrials < 1 || request.MaxFailures < 0
            || request.Trials.Select((t, i) => t.Index == i && t.SweepId == SweepId).Any(ok => !ok))
            throw new ArgumentException($"Malformed request for sweep '{SweepId}': trials must be indexed 0..n-1 with this sweep id, limits ≥ 1 and ≥ 0.");
        int n = request.Trials.Count;
        State.Name = request.Name;
        State.Trials = [.. request.Trials];
        State.Statuses = [.. Enumerable.Repeat(TrialStatus.Pending, n)];
        State.Results = [.. Enumerable.Repeat((TrialResult?)null, n)];
        State.Attempts = [.. Enumerable.Repeat(0, n)];
        State.Silos = [.. Enumerable.Repeat((string?)null, n)];
        State.Losses = [.. Enumerable.Repeat(0, n)];
        State.MaxConcurrentTrials = request.MaxConcurrentTrials;
        State.MaxFailures = request.MaxFailures;
        State.Search = request.Search;
        State.TimeBudget = request.TimeBudget;
        State.StartedUtc = DateTime.UtcNow;
        State.Status = SweepStatus.Running;

        _sweepActivity = RiskAlignTelemetry.ActivitySource.StartActivity(
            RiskAlignTelemetry.Spans.Sweep, ActivityKind.Internal,
            ActivityContext.TryParse(request.TraceParent, null, out var parent) ? parent : default);
        _sweepActivity?.SetTag(RiskAlignTelemetry.Tags.SweepId, SweepId);
        _sweepActivity?.SetTag("riskalign.sweep.trials", n);
        State.TraceParent = _sweepActivity?.Id ?? request.TraceParent;

        await SaveAsync();
        await KeepResumableAsync();
        logger.LogInformation("Sweep {SweepId} ({Name}) starts {Count} trials, {Max} at a time", SweepId, State.Name, n, State.MaxConcurrentTrials);
        this.DelayDeactivation(TimeSpan.FromDays(7));
        StartWatch(WatchInterval);
        await DispatchAsync();
        return new SweepStarted { SweepId = SweepId, TrialCount = n + (request.Search?.ProposedTrials ?? 0), MaxConcurrentTrials = State.MaxConcurrentTrials };
    }

    public Task<SweepSnapshot> GetSnapshot()
    {
        var trials = State.Trials.Select((trial, i) => new TrialSnapshot
        {
            Trial = trial,
            Status = State.Statuses[i],
            Progress = _progress.GetValueOrDefault(i),
            Result = State.Results[i] is { Spans.Count: > 0 } withSpans ? withSpans with { Spans = [] } : State.Results[i], // GetSpans has them
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
            PlannedTrials = State.Status == SweepStatus.Running && !BudgetSpent && State.Search is { } search
                ? State.Trials.Count + search.ProposedTrials - State.Trials.Count(t => search.Arms.Any(a => a.Arm == t.Arm))
                : State.Trials.Count,
        });
    }

    public Task<IReadOnlyList<SpanRecord>> GetSpans() =>
        Task.FromResult<IReadOnlyList<SpanRecord>>([.. State.Results.OfType<TrialResult>().SelectMany(r => r.Spans)]);

    public async Task<int> Resume()
    {
        if (State.Status != SweepStatus.Cancelled) return 0; // a Running sweep resumed when this activation loaded it
        if (!AllFinished)
            throw new InvalidOperationException($"Sweep '{SweepId}' is still winding down its cancelled trials; resume it once they stopped.");
        int reopened = 0;
        for (int i = 0; i < State.Trials.Count; i++)
        {
            if (State.Results[i]?.Status != TrialStatus.Cancelled) continue;
            State.Results[i] = null; // its partial metrics give way to a run from the start (same seeds)
            State.Statuses[i] = TrialStatus.Pending;
            reopened++;
        }
        State.Status = reopened > 0 ? SweepStatus.Running : SweepStatus.Completed;
        State.StartedUtc = DateTime.UtcNow; // a resumed sweep has its time budget afresh
        await state.WriteStateAsync();
        logger.LogInformation("Sweep {SweepId} resumed after a cancel: {Count} cancelled trials run again", SweepId, reopened);
        if (reopened == 0) return 0;
        this.DelayDeactivation(TimeSpan.FromDays(7));
        StartWatch(TimeSpan.Zero);
        return reopened;
    }

    public async Task Cancel()
    {
        if (State.Status != SweepStatus.Running) return;
        State.Status = SweepStatus.Cancelled;
        var running = new List<Task>();
        for (int i = 0; i < State.Trials.Count; i++)
        {
            if (State.Statuses[i] == TrialStatus.Pending)
                Record(i, new TrialResult { Trial = State.Trials[i], Status = TrialStatus.Cancelled, Error = "Sweep cancelled before the trial started." });
            else if (State.Statuses[i] == TrialStatus.Running)
                running.Add(CancelTrialAsync(i));
        }
        await SaveAsync();
        await Task.WhenAll(running);
        await FinishIfDoneAsync();
    }

    public async Task ReportProgress(int trialIndex, TrialProgress progress)
    {
        if (trialIndex < 0 || trialIndex >= State.Trials.Count || State.Statuses[trialIndex] != TrialStatus.Running) return;
        _progress[trialIndex] = progress;
        _lastHeard[trialIndex] = DateTime.UtcNow;
        if (State.Search is { } search && State.Status == SweepStatus.Running && progress.EvaluatedDrift is { } drift && progress.EvaluatedReward is { } reward)
            await JudgeAtRungAsync(search, trialIndex, progress.Step, drift, reward);
    }

    /// <summary>ASHA: records a trial's evaluation at a rung and stops it when it is not promoted.</summary>
    private async Task JudgeAtRungAsync(SearchPlan search, int i, int step, double drift, double reward)
    {
        if (AshaLadder.Judge(search, State.Rungs, i, step, drift, reward) is not { } continues) return;
        await state.WriteStateAsync();
        if (continues) return;
        int atRung = State.Rungs.Count(r => r.Step == step);
        logger.LogInformation("Trial {TrialId} stopped at rung step {Step}: not in the best 1/{Factor} of {Count} by drift-vs-reward rank",
            State.Trials[i].Id, step, search.Asha!.ReductionFactor, atRung);
        if (!await TryStopTrialAsync(i, $"Stopped by ASHA at step {step}: not in the best 1/{search.Asha.ReductionFactor} of the {atRung} trials ranked there (drift {drift:G4}, reward {reward:G4})"))
            logger.LogWarning("Trial {TrialId} runs to its end", State.Trials[i].Id);
    }

    /// <summary>Asks trial <paramref name="i"/>'s grain to stop with <paramref name="reason"/>; false (logged) when the call failed.</summary>
    private async Task<bool> TryStopTrialAsync(int i, string reason)
    {
        try
        {
            await GrainFactory.GetGrain<ITrialGrain>(State.Trials[i].Id).Stop(reason);
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning("Stopping trial {TrialId} failed ({Error})", State.Trials[i].Id, e.Message);
            return false;
        }
    }

    public Task TrialAlive(int trialIndex, int attempt, string silo)
    {
        // Learns where an attempt runs when this activation's stored state predates the answer to Start.
        if (trialIndex >= 0 && trialIndex < State.Trials.Count && State.Results[trialIndex] is null
            && State.Statuses[trialIndex] == TrialStatus.Running && State.Attempts[trialIndex] == attempt && State.Silos[trialIndex] != silo)
        {
            State.Silos[trialIndex] = silo;
            _unsaved = true;
        }
        if (trialIndex >= 0 && trialIndex < State.Trials.Count) _lastHeard[trialIndex] = DateTime.UtcNow;
        return Task.CompletedTask;
    }

    public async Task ReportResult(TrialResult result, int attempt)
    {
        int i = result.Trial.Index;
        if (i < 0 || i >= State.Trials.Count || State.Results[i] is not null)
        {
            logger.LogDebug("Ignoring a second result of trial {TrialId} (attempt {Attempt})", result.Trial.Id, attempt);
            return;
        }
        Record(i, result);
        await SaveAsync();
        logger.LogInformation("Trial {TrialId} (attempt {Attempt}) {Status}: drift {Drift:G4}, reward {Reward:G4} ({Error})",
            result.Trial.Id, attempt, result.Status, result.Drift, result.Reward, result.Error ?? "ok");
        if (State.Status == SweepStatus.Running) await DispatchAsync();
        await FinishIfDoneAsync();
    }

    /// <summary>The reminder's tick reactivates the grain (OnActivateAsync resumes it); a live activation just makes
    /// sure its watch runs, and a finished sweep drops the reminder.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ResumeReminder) return;
        if (State.Status == SweepStatus.NotStarted || AllFinished) await DropReminderAsync();
        else if (_watch is null) StartWatch(TimeSpan.Zero);
    }

    private async Task KeepResumableAsync()
    {
        try { await this.RegisterOrUpdateReminder(ResumeReminder, ResumePeriod, ResumePeriod); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A silo host without a reminder service (some tests): the sweep still resumes on the next call.
            logger.LogWarning("Sweep {SweepId} keeps no reminder ({Error}); after a whole-cluster failure it waits for a call", SweepId, e.Message);
        }
    }

    private async Task DropReminderAsync()
    {
        try
        {
            if (await this.GetReminder(ResumeReminder) is { } reminder) await this.UnregisterReminder(reminder);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("Sweep {SweepId} could not drop its reminder ({Error}); the next tick tries again", SweepId, e.Message);
        }
    }

    private void StartWatch(TimeSpan dueTime)
    {
        _watch?.Dispose();
        _watch = this.RegisterGrainTimer(WatchAsync, dueTime, WatchInterval);
    }

    private async Task WatchAsync()
    {
        if (ReclaimTrialsOfDeadSilos() | await AskQuietTrialsAsync() | await EnforceBudgetAsync()) await SaveAsync();
        if (State.Status == SweepStatus.Running) await DispatchAsync();
        await FinishIfDoneAsync();
    }

    /// <summary>Once the time budget is spent: every queued trial is recorded Stopped without running, and every running
    /// one is asked to stop (it reports Stopped with its evaluations so far, or Completed if it got to its end first).
    /// True when anything was recorded.</summary>
    private async Task<bool> EnforceBudgetAsync()
    {
        if (State.Status != SweepStatus.Running || !BudgetSpent) return false;
        var reason = $"The sweep's time budget of {MinutesText.Of(State.TimeBudget!.Value)} ran out";
        bool recorded = false;
        for (int i = 0; i < State.Trials.Count; i++)
        {
            if (State.Statuses[i] == TrialStatus.Pending)
            {
                Record(i, new TrialResult { Trial = State.Trials[i], Status = TrialStatus.Stopped, Error = $"{reason} before it started." });
                recorded = true;
            }
            else if (State.Statuses[i] == TrialStatus.Running && _stoppedForBudget.Add(i) && !await TryStopTrialAsync(i, reason))
            {
                _stoppedForBudget.Remove(i); // asked again at the next watch
            }
        }
        if (recorded) logger.LogInformation("Sweep {SweepId}: {Reason}; queued trials recorded Stopped, running ones asked to stop", SweepId, reason);
        return recorded;
    }

    /// <summary>Puts the trials whose silo membership declared dead back in the queue, or ends them (cancelled
    /// sweep, too many losses). True when anything changed.</summary>
    private bool ReclaimTrialsOfDeadSilos()
    {
        var members = membership.CurrentSnapshot;
        bool changed = false;
        for (int i = 0; i < State.Trials.Count; i++)
        {
            if (State.Statuses[i] != TrialStatus.Running || State.Silos[i] is not { } where) continue;
            // None: the silo left the table (defunct entries are cleaned up), or belongs to a cluster before a restart.
            if (members.GetSiloStatus(SiloAddress.FromParsableString(where)) is not (SiloStatus.Dead or SiloStatus.None)) continue;
            changed = true;
            Lose(i, where, $"its silo {where} died", "Lost with its silo");
        }
        return changed;
    }

    /// <summary>Counts the current attempt of trial <paramref name="i"/> as lost (<paramref name="why"/>, a clause): back
    /// to the queue, or ended (cancelled sweep; more than max_failures losses, "<paramref name="lostHow"/> N times").</summary>
    private void Lose(int i, string where, string why, string lostHow)
    {
        State.Losses[i]++;
        State.Silos[i] = null;
        _progress.Remove(i);
        _lastHeard.Remove(i);
        var trial = State.Trials[i];
        logger.LogWarning("Trial {TrialId} lost: {Why} (loss {Losses} of at most {Max})", trial.Id, why, State.Losses[i], State.MaxFailures);
        _sweepActivity?.AddEvent(new ActivityEvent("riskalign.trial.lost", tags: new ActivityTagsCollection
        {
            [RiskAlignTelemetry.Tags.TrialId] = trial.Id, ["riskalign.silo"] = where, ["riskalign.trial.losses"] = State.Losses[i],
        }));
        if (State.Status == SweepStatus.Cancelled)
            Record(i, new TrialResult { Trial = trial, Status = TrialStatus.Cancelled, Error = $"Sweep cancelled; {why}." });
        else if (State.Losses[i] > State.MaxFailures)
            Record(i, new TrialResult { Trial = trial, Status = TrialStatus.Failed,
                Error = $"{lostHow} {State.Losses[i]} times (last {where}); max_failures is {State.MaxFailures}." });
        else
            State.Statuses[i] = TrialStatus.Pending;
    }

    /// <summary>
    /// Asks each running trial on a live silo that has sent nothing for <see cref="QuietAfter"/> what became of it. A
    /// result it holds (finished, but the report did not arrive) is recorded as if reported; a grain that holds neither
    /// a run nor a result (the activation that ran it is gone, and the run with it) counts as a lost attempt, like a
    /// trial of a dead silo. A trial still running stays as it is. True when anything changed.
    /// </summary>
    private async Task<bool> AskQuietTrialsAsync()
    {
        var members = membership.CurrentSnapshot;
        bool changed = false;
        for (int i = 0; i < State.Trials.Count; i++)
        {
            if (State.Statuses[i] != TrialStatus.Running || State.Silos[i] is not { } where) continue;
            if (members.GetSiloStatus(SiloAddress.FromParsableString(where)) != SiloStatus.Active) continue; // the reclaim's business
            var now = DateTime.UtcNow;
            if (!_lastHeard.TryGetValue(i, out var heard)) { _lastHeard[i] = now; continue; }
            if (now - heard < QuietAfter) continue;
            _lastHeard[i] = now; // ask again after another quiet spell, not at every watch
            var trial = State.Trials[i];
            TrialCheck check;
            // Bounded: a silo that is dying but not yet declared dead must not hold this grain for a whole response timeout.
            try { check = await GrainFactory.GetGrain<ITrialGrain>(trial.Id).Check().WaitAsync(CheckTimeout); }
            catch (Exception e)
            {
                logger.LogWarning("Asking quiet trial {TrialId} failed ({Error}); asking again later", trial.Id, e.Message);
                continue;
            }
            if (check.Result is { } result)
            {
                logger.LogWarning("Trial {TrialId} finished ({Status}) but its result had not arrived; fetched it from its grain", trial.Id, result.Status);
                Record(i, result);
                changed = true;
            }
            else if (!check.Running)
            {
                Lose(i, where, $"its grain on {where} holds neither a run nor a result", "Lost");
                changed = true;
            }
        }
        return changed;
    }

    private async Task DispatchAsync()
    {
        int known = State.Trials.Count;
        bool sent = false;
        while (State.Status == SweepStatus.Running && !BudgetSpent
               && State.Statuses.Count(s => s == TrialStatus.Running) < State.MaxConcurrentTrials
               && NextPendingOrProposed() is var next and >= 0)
        {
            // Launch order: the first pending trial waits (in the sweep, not on a silo) for a free slot of a kind its
            // spec allows; the trials after it wait behind it. A result or the next watch tries again.
            if (await ClaimSlotAsync(next) is not { } slot) break;
            State.Statuses[next] = TrialStatus.Running;
            int attempt = ++State.Attempts[next];
            sent = true;
            try
            {
                using (SlotPlacement.Target(slot))
                    State.Silos[next] = await GrainFactory.GetGrain<ITrialGrain>(State.Trials[next].Id).Start(State.Trials[next], attempt, State.TraceParent);
                // An activation that outlived an earlier attempt runs where it is; that silo's reports count it.
                if (State.Silos[next] != slot.Silo) _ = Board.Release(State.Trials[next].Id);
            }
            catch (Exception e)
            {
                // A silo dying while the call was placed: try again at the next watch, once membership has caught up.
                logger.LogWarning("Sending trial {TrialId} failed ({Error}); it waits for the next round", State.Trials[next].Id, e.Message);
                State.Statuses[next] = TrialStatus.Pending;
                _ = Board.Release(State.Trials[next].Id);
                break;
            }
        }
        // Only a change is written: the watch dispatches every 2 s, and a write stores every result so far (their
        // histories and spans), the costliest thing this grain does; on a loaded machine it kept the grain busy.
        if (sent || State.Trials.Count != known || _unsaved) await SaveAsync();
    }

    /// <summary>
    /// Writes the state. With localhost clustering the in-memory storage keeps each record in a storage grain on
    /// some silo; when that silo dies the record is gone and the next write fails its ETag check. Then this writes
    /// the whole state again, as a new record, instead of losing the sweep. A record that exists with another ETag
    /// (another writer) is left alone and the error stands.
    /// </summary>
    private async Task SaveAsync()
    {
        _unsaved = false;
        try
        {
            await WriteOrRewriteAsync();
        }
        catch
        {
            _unsaved = true; // what this write held (a recorded result) goes with the next watch's write
            throw;
        }
    }

    private async Task WriteOrRewriteAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            var mine = state.State;
            await state.ReadStateAsync();
            bool lost = !state.RecordExists;
            state.State = mine;
            if (!lost) throw;
            logger.LogWarning("Sweep {SweepId}: storage lost its record (the silo holding it died); writing it again", SweepId);
            await state.WriteStateAsync(); // the read left no ETag: a new record
        }
    }

    private ISlotBoardGrain Board => GrainFactory.GetGrain<ISlotBoardGrain>(ISlotBoardGrain.Key);

    /// <summary>A slot reserved on the cluster's slot board for trial <paramref name="i"/>, or null when none is free
    /// (or the board cannot be reached right now).</summary>
    private async Task<SlotGrant?> ClaimSlotAsync(int i)
    {
        try { return await Board.Claim(State.Trials[i].Id, State.Trials[i].Training.Device); }
        catch (Exception e)
        {
            logger.LogWarning("Reserving a slot for trial {TrialId} failed ({Error}); it waits for the next round", State.Trials[i].Id, e.Message);
            return null;
        }
    }

    /// <summary>The first queued trial; when the queue is dry, the search's next proposal appended to the sweep (one
    /// trial per seed; persisted by the caller), or −1 when there is none.</summary>
    private int NextPendingOrProposed()
    {
        int next = State.Statuses.IndexOf(TrialStatus.Pending);
        if (next >= 0 || State.Search is not { } search) return next;
        var proposed = SearchProposer.Next(search, State.Trials, State.Results);
        if (proposed.Count == 0) return -1;
        foreach (var trial in proposed)
        {
            State.Trials.Add(trial with { SweepId = SweepId });
            State.Statuses.Add(TrialStatus.Pending);
            State.Results.Add(null);
            State.Attempts.Add(0);
            State.Silos.Add(null);
            State.Losses.Add(0);
        }
        logger.LogInformation("Sweep {SweepId} proposes trials {First}..{Last} ({Label})", SweepId, proposed[0].Index, proposed[^1].Index, proposed[0].Label);
        return proposed[0].Index;
    }

    private async Task CancelTrialAsync(int i)
    {
        try { await GrainFactory.GetGrain<ITrialGrain>(State.Trials[i].Id).Cancel(); }
        catch (Exception e) { logger.LogWarning("Cancelling trial {TrialId} failed ({Error}); the watch ends it if its silo is dead", State.Trials[i].Id, e.Message); }
    }

    /// <summary>Keeps the first result of trial <paramref name="i"/> and counts it, once per trial.</summary>
    private void Record(int i, TrialResult result)
    {
        State.Results[i] = result;
        State.Statuses[i] = result.Status;
        State.Silos[i] = null;
        _progress.Remove(i);
        _lastHeard.Remove(i);
        _ = Board.Release(State.Trials[i].Id);
        RiskAlignTelemetry.TrialsFinished.Add(1, new KeyValuePair<string, object?>(RiskAlignTelemetry.Tags.Status, result.Status.ToString()));
    }

    private async Task FinishIfDoneAsync()
    {
        if (!AllFinished || _watch is null) return;
        if (State.Status == SweepStatus.Running) State.Status = SweepStatus.Completed;
        await SaveAsync(); // the finished status is what a later activation (or restart) sees
        _watch.Dispose();
        _watch = null;
        _sweepActivity?.SetTag("riskalign.sweep.status", State.Status.ToString());
        _sweepActivity?.Stop();
        _sweepActivity = null;
        await DropReminderAsync();
        logger.LogInformation("Sweep {SweepId} {Status}", SweepId, State.Status);
    }
}
