using TorchSharp;

namespace RiskAlign.Silo.Devices;

/// <summary>
/// The device slots of this silo. A trial waits for a free slot of a kind it accepts (GPU slots first when it
/// accepts both) and gives it back when it ends; so a silo never runs more trials at once than its devices hold,
/// and never more than one per GPU slot. Waiters are served in arrival order. The cluster's slot board learns the
/// free slots from <see cref="Changed"/> and <see cref="Busy"/> (Placement/SlotBoardPublisher.cs).
/// </summary>
public sealed class DeviceSlots
{
    private readonly object _gate = new();
    private readonly List<DeviceSlot> _free;
    private readonly Dictionary<DeviceSlot, string> _holders = [];
    private readonly List<Waiter> _waiters = [];

    public DeviceSlots(IOptions<DeviceOptions> options, ILogger<DeviceSlots> logger)
        : this(Plan(options.Value, ApplyThreadsAndCountGpus(options.Value)))
    {
        logger.LogInformation("Device slots: {Slots}", string.Join(", ", All));
    }

    /// <summary>A fixed device set, for tests that pretend a silo has GPUs.</summary>
    internal DeviceSlots(IReadOnlyList<DeviceSlot> slots)
    {
        All = slots;
        _free = [.. All];
    }

    private static int ApplyThreadsAndCountGpus(DeviceOptions settings)
    {
        if (settings.TorchThreads is { } threads) torch.set_num_threads(threads);
        return torch.cuda.is_available() ? torch.cuda.device_count() : 0;
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

    /// <summary>Raised (outside the lock) whenever a slot is taken or given back.</summary>
    public event Action? Changed;

    /// <summary>Who holds which slot kind right now: holder name → kind.</summary>
    public IReadOnlyDictionary<string, SlotKind> Busy
    {
        get { lock (_gate) return _holders.GroupBy(h => h.Value).ToDictionary(g => g.Key, g => g.First().Key.Kind); }
    }

    /// <summary>Waits for a free slot of any kind (GPU first) and holds it until the lease is disposed.</summary>
    public Task<DeviceLease> AcquireAsync(CancellationToken cancellationToken) =>
        AcquireAsync(SlotKinds.For(TrialDevice.Any), "", cancellationToken);

    /// <summary>Waits for a free slot of one of <paramref name="kinds"/> (in that order of preference), after every
    /// earlier waiter that such a slot can serve, and holds it for <paramref name="holder"/> until the lease is disposed.</summary>
    public async Task<DeviceLease> AcquireAsync(IReadOnlyList<SlotKind> kinds, string holder, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        DeviceSlot? slot;
        lock (_gate)
        {
            // A free slot is one no waiter accepts (Release serves waiters first), so taking it jumps no queue.
            slot = TryTake(kinds, holder);
            waiter = new Waiter(kinds, holder);
            if (slot is null) _waiters.Add(waiter);
        }
        if (slot is not null)
        {
            Raise();
            return new DeviceLease(this, slot);
        }
        using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
                if (!_waiters.Remove(waiter)) return;
            waiter.Promise.TrySetCanceled(cancellationToken);
        });
        var taken = await waiter.Promise.Task.ConfigureAwait(false);
        return new DeviceLease(this, taken);
    }

    internal void Release(DeviceSlot slot)
    {
        var served = new List<(Waiter, DeviceSlot)>();
        lock (_gate)
        {
            _holders.Remove(slot);
            _free.Add(slot);
            // First come, first served among the waiters a free slot can serve.
            for (int i = 0; i < _waiters.Count && _free.Count > 0;)
            {
                if (TryTake(_waiters[i].Kinds, _waiters[i].Holder) is { } taken)
                {
                    served.Add((_waiters[i], taken));
                    _waiters.RemoveAt(i);
                }
                else i++;
            }
        }
        foreach (var (waiter, taken) in served)
            if (!waiter.Promise.TrySetResult(taken)) Release(taken); // cancelled meanwhile
        Raise();
    }

    // Called under _gate.
    private DeviceSlot? TryTake(IReadOnlyList<SlotKind> kinds, string holder)
    {
        foreach (var kind in kinds)
        {
            var slot = _free.FirstOrDefault(s => s.Kind == kind);
            if (slot is null) continue;
            _free.Remove(slot);
            _holders[slot] = holder;
            return slot;
        }
        return null;
    }

    private void Raise()
    {
        try { Changed?.Invoke(); }
        catch (Exception) { /* a listener's trouble must not fail a trial's slot */ }
    }

    private sealed record Waiter(IReadOnlyList<SlotKind> Kinds, string Holder)
    {
        public TaskCompletionSource<DeviceSlot> Promise { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
