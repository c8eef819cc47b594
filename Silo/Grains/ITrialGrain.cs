namespace RiskAlign.Silo.Grains;

/// <summary>
/// One trial, keyed by its id. Start returns at once: training runs on its own thread, off the Orleans
/// scheduler, once a device slot on this silo is free, and the result goes back to the sweep grain.
/// </summary>
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>Queues attempt <paramref name="attempt"/> of the trial on this silo's device slots and returns the
    /// silo's address (<see cref="SiloAddress.ToParsableString"/>), which the sweep watches for failure. Idempotent
    /// while a run is queued or running: a second call starts nothing and returns the same address.</summary>
    Task<string> Start(TrialDefinition trial, int attempt, string? traceParent);

    /// <summary>Asks the running trial to stop at its next step.</summary>
    Task Cancel();

    /// <summary>Early stopping: ends the running attempt at its next step like <see cref="Cancel"/>, but its result is
    /// recorded <see cref="TrialStatus.Stopped"/> with <paramref name="reason"/>, its evaluations so far kept.</summary>
    Task Stop(string reason);

    /// <summary>Whether a run is going on here and, once it finished, its result: the sweep asks this of a running trial
    /// that has stopped sending heartbeats, so a result that could not be delivered is fetched rather than waited for.</summary>
    Task<TrialCheck> Check();
}
