using Orleans.Concurrency;
using RiskAlign.Framework.Telemetry;

namespace RiskAlign.Silo.Grains;

/// <summary>
/// One sweep, keyed by its id: persists the client's validated trials, hands them to trial grains a few at a time,
/// re-sends those lost with a dead silo, collects their results and keeps the drift-vs-reward front.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Persists the sweep and starts the first trials. Throws when this id was started already.</summary>
    Task<SweepStarted> Start(SweepRequest request);

    /// <summary>Every trial's status, progress and result so far, and the current front.</summary>
    Task<SweepSnapshot> GetSnapshot();

    /// <summary>The spans of every finished trial (the snapshot leaves them out), as the silos that ran them recorded
    /// them, for <c>results</c> to write trace.jsonl.</summary>
    Task<IReadOnlyList<SpanRecord>> GetSpans();

    /// <summary>Runs a cancelled sweep's cancelled trials again from the start (finished ones are kept) and returns how
    /// many; nothing for a running or completed sweep (a running one already resumed when its grain activated).
    /// Throws while cancelled trials are still stopping.</summary>
    Task<int> Resume();

    /// <summary>Stops handing out trials and cancels the running ones.</summary>
    Task Cancel();

    /// <summary>Called by a trial grain while it trains.</summary>
    [OneWay]
    Task ReportProgress(int trialIndex, TrialProgress progress);

    /// <summary>Called by a trial grain when it ends, whatever the outcome. Idempotent: the first result of a trial
    /// (any attempt) is kept and persisted before this returns; later ones are ignored.</summary>
    Task ReportResult(TrialResult result, int attempt);

    /// <summary>Heartbeat of a queued or running trial grain: which attempt runs on which silo.</summary>
    [OneWay]
    Task TrialAlive(int trialIndex, int attempt, string silo);
}
