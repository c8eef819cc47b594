namespace RiskAlign.Silo.Devices;

/// <summary>Which devices this silo offers to trials (section <c>RiskAlign:Devices</c>).</summary>
public sealed class DeviceOptions
{
    public const string Section = "RiskAlign:Devices";

    /// <summary>Trials that may run on each CUDA device at once (GPUs are found at start-up).</summary>
    public int SlotsPerGpu { get; set; } = 1;

    /// <summary>Trials that may run on the CPU at once; 0 keeps trials off the CPU when a GPU exists.
    /// Null means: half the cores (at least 1) when there is no GPU, none when there is one.</summary>
    public int? CpuSlots { get; set; }

    /// <summary>Torch intra-op threads (process-wide); null leaves torch's default.</summary>
    public int? TorchThreads { get; set; }
}
