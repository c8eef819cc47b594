using TorchSharp;

namespace RiskAlign.Silo.Devices;

/// <summary>
/// The device slots of this silo. A trial waits for a free slot, GPU slots first, then CPU slots, and gives it
/// back when it ends; so a silo never runs more trials at once than its devices hold.
/// </summary>
public sealed class DeviceSlots
{
    private readonly object _gate = new();
    private readonly List<DeviceSlot> _free;
    private readonly SemaphoreSlim _available;

    public DeviceSlots(IOptions<DeviceOptions> options, ILogger<DeviceSlots> logger)
    {
        var settings = options.Value;
        if (settings.TorchThreads is { } threads) torch.set_num_threads(threads);
        int gpus = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        All = Plan(settings, gpus);
        _free = [.. All];
        _available = new SemaphoreSlim(All.Count, All.Count);
        logger.LogInformation("Device slots: {Slots}", string.Join(", ", All));
    }

    /// <summary>
    /// The slots a silo with <paramref name="gpus"/> CUDA devices offers under <paramref name="settings"/>: GPU slots
    /// first. Throws <see cref="OptionsValidationException"/> for negative counts or no slot at all.
    /// </summary>
    public static IReadOnlyList<DeviceSlot> Plan(DeviceOptions settings, int gpus)
    {
        int cpuSlots = settings.CpuSlots ?? (gpus == 0 ? Math.Max(1, Environment.ProcessorCount / 2) : 0);
        if (settings.SlotsPerGpu < 0 || cpuSlots < 0)
            throw new OptionsValidationException(DeviceOptions.Section, typeof(DeviceOptions), ["Slot counts cannot be negative."]);
        List<DeviceSlot> slots = [
            .. Enumerable.Range(0, gpus).SelectMany(g => Enumerable.Range(0, settings.SlotsPerGpu).Select(s => new DeviceSlot($"cuda:{g}", s))),
            .. Enumerable.Range(0, cpuSlots).Select(s => new DeviceSlot("cpu", s)),
        ];
        if (slots.Count == 0)
            throw new OptionsValidationException(DeviceOptions.Section, typeof(DeviceOptions),
                [$"This silo offers no device slot (GPUs: {gpus}, CpuSlots: {cpuSlots}); set {DeviceOptions.Section}:CpuSlots to at least 1."]);
        return slots;
    }

    /// <summary>Every slot this silo offers.</summary>
    public IReadOnlyList<DeviceSlot> All { get; }

    /// <summary>Slots free right now.</summary>
    public int FreeCount { get { lock (_gate) return _free.Count; } }

    /// <summary>Waits for a free slot (GPU first) and holds it until the lease is disposed.</summary>
    public async Task<DeviceLease> AcquireAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var slot = _free.FirstOrDefault(s => s.IsGpu) ?? _free[0];
            _free.Remove(slot);
            return new DeviceLease(this, slot);
        }
    }

    internal void Release(DeviceSlot slot)
    {
        lock (_gate) _free.Add(slot);
        _available.Release();
    }
}

/// <summary>A held device slot; disposing gives it back.</summary>
public sealed class DeviceLease(DeviceSlots owner, DeviceSlot slot) : IDisposable
{
    private int _released;

    public DeviceSlot Slot { get; } = slot;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) owner.Release(Slot);
    }
}
