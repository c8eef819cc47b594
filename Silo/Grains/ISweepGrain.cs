using Orleans.Concurrency;

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
