using Orleans.Concurrency;
using RiskAlign.Framework.Sweeps;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Grains;

/// <summary>
/// One sweep, keyed by its id: expands the spec into trials, persists them, hands them to trial grains a few at a
/// time, collects their results and keeps the drift-vs-reward front.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Validates and expands the spec with the silo's plugin catalog and starts the first trials.
    /// Throws <see cref="Framework.Sweeps.SweepSpecException"/> for a bad spec.</summary>
    Task<SweepStarted> Start(SweepRequest request);

    /// <summary>Every trial's status, progress and result so far, and the current front.</summary>
    Task<SweepSnapshot> GetSnapshot();

    /// <summary>Stops handing out trials and cancels the running ones.</summary>
    Task Cancel();

    /// <summary>Called by a trial grain while it trains.</summary>
    [OneWay]
    Task ReportProgress(int trialIndex, TrialProgress progress);

    /// <summary>Called by a trial grain when it ends, whatever the outcome.</summary>
    Task ReportResult(TrialResult result);
}
