namespace RiskAlign.Framework.Trials;

/// <summary>Which kind of device slot a trial may run on (spec field <c>training.device</c>); the cluster places
/// the trial on a silo with a free slot of that kind.</summary>
public enum TrialDevice
{
    /// <summary>A free GPU slot anywhere in the cluster first, else a free CPU slot (the default).</summary>
    Any,
    /// <summary>GPU slots only: the trial waits for one when every GPU of the cluster is busy.</summary>
    Gpu,
    /// <summary>CPU slots only.</summary>
    Cpu,
}
