using RiskAlign.Framework.Models.TorchRuntime;

namespace RiskAlign.Framework.Training;

/// <summary>
/// The most device memory seen in use while a trial runs on a CUDA device: NVML's used memory, sampled every
/// <see cref="SampleInterval"/> and once more at the end. libtorch's caching allocator keeps what it reserved, so the
/// last samples hold the trial's high-water mark; the figure covers the whole device (other trials sharing it, the
/// CUDA context). On the CPU there is nothing to measure per trial (parallel trials share one process), so
/// <see cref="Start"/> returns null and <c>trials.csv</c> leaves the column empty.
/// </summary>
internal sealed class DeviceMemoryPeak : IDisposable
{
    /// <summary>Time between samples.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);

    private readonly Func<long?> _usedBytes;
    private readonly Timer _timer;
    private long _peak = -1;

    private DeviceMemoryPeak(Func<long?> usedBytes)
    {
        _usedBytes = usedBytes;
        Sample();
        _timer = new Timer(_ => Sample(), null, SampleInterval, SampleInterval);
    }

    /// <summary>Starts sampling <paramref name="device"/>; null on the CPU or where NVML cannot be read.</summary>
    public static DeviceMemoryPeak? Start(Device device) =>
        device.type == DeviceType.CUDA && NvmlMemory.TryUsedBytesReader(Math.Max(0, device.index)) is { } usedBytes ? new DeviceMemoryPeak(usedBytes) : null;

    /// <summary>The highest used memory sampled so far, bytes; null before any sample answered.</summary>
    public long? PeakBytes
    {
        get
        {
            Sample();
            long peak = Interlocked.Read(ref _peak);
            return peak < 0 ? null : peak;
        }
    }

    private void Sample()
    {
        if (_usedBytes() is not { } used) return;
        long seen;
        do seen = Interlocked.Read(ref _peak);
        while (used > seen && Interlocked.CompareExchange(ref _peak, used, seen) != seen);
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
