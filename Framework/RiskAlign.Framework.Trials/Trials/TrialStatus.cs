namespace RiskAlign.Framework.Trials;

/// <summary>How a trial ended (or where it is).</summary>
public enum TrialStatus
{
    Pending,
    Running,
    Completed,
    /// <summary>The loss or a metric became NaN or infinite; the trial stopped and the sweep went on.</summary>
    Diverged,
    Failed,
    Cancelled,
    /// <summary>Ended before its last step by the sweep, not by its own trouble: early stopping (ASHA) at an evaluation
    /// checkpoint because it was not promoted, its time limit (<see cref="TrainingSettings.TimeLimit"/>), or the sweep's
    /// time budget (a queued trial then stops without running). Its evaluations so far are kept, it frees its slot, and
    /// it is on no front.</summary>
    Stopped,
}
