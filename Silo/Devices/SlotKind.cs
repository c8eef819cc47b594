namespace RiskAlign.Silo.Devices;

/// <summary>The two kinds of device slot a silo advertises to the cluster's slot board.</summary>
[GenerateSerializer]
public enum SlotKind
{
    Gpu,
    Cpu,
}

/// <summary>Which slot kinds a trial's <see cref="TrialDevice"/> accepts, in order of preference.</summary>
public static class SlotKinds
{
    private static readonly SlotKind[] GpuThenCpu = [SlotKind.Gpu, SlotKind.Cpu];
    private static readonly SlotKind[] GpuOnly = [SlotKind.Gpu];
    private static readonly SlotKind[] CpuOnly = [SlotKind.Cpu];

    /// <summary>GPU first for <see cref="TrialDevice.Any"/>; one kind otherwise.</summary>
    public static IReadOnlyList<SlotKind> For(TrialDevice device) => device switch
    {
        TrialDevice.Gpu => GpuOnly,
        TrialDevice.Cpu => CpuOnly,
        _ => GpuThenCpu,
    };
}
