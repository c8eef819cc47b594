namespace RiskAlign.Silo.Devices;

/// <summary>One place a trial can run: a device (<c>cpu</c>, <c>cuda:0</c>, ...) and which of its slots.</summary>
public sealed record DeviceSlot(string Device, int Slot)
{
    public bool IsGpu => Device.StartsWith("cuda", StringComparison.Ordinal);

    public SlotKind Kind => IsGpu ? SlotKind.Gpu : SlotKind.Cpu;

    public override string ToString() => $"{Device}#{Slot}";
}
