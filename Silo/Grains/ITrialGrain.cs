using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Grains;

/// <summary>
/// One trial, keyed by its id. Start returns at once: training runs on its own thread, off the Orleans
/// scheduler, once a device slot on this silo is free, and the result goes back to the sweep grain.
/// </summary>
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>Queues the trial on this silo's device slots. Idempotent while it runs.</summary>
    Task Start(TrialDefinition trial, string? traceParent);

    /// <summary>Asks the running trial to stop at its next step.</summary>
    Task Cancel();
}
