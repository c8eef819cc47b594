using RiskAlign.Silo.Devices;

namespace RiskAlign.Silo.Placement;

/// <summary>
/// Publishes this silo's device slots to the slot board once the silo is active: at once when a slot is taken or
/// given back, and every <see cref="Interval"/> besides (which also rebuilds a board that moved to another silo).
/// </summary>
internal sealed class SlotBoardPublisher(DeviceSlots slots, IGrainFactory grains, ILocalSiloDetails silo, ILogger<SlotBoardPublisher> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Longest wait between two reports.</summary>
    internal static TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _changed = new(0);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _sequence;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SlotBoardPublisher), ServiceLifecycleStage.Active, _ => Start(), _ => StopAsync());

    private Task Start()
    {
        slots.Changed += Signal;
        _loop = Task.Run(() => RunAsync(_stop.Token));
        return Task.CompletedTask;
    }

    private async Task StopAsync()
    {
        slots.Changed -= Signal;
        await _stop.CancelAsync();
        if (_loop is not null) await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Signal()
    {
        if (_changed.CurrentCount == 0) _changed.Release();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var board = grains.GetGrain<ISlotBoardGrain>(ISlotBoardGrain.Key);
        var here = silo.SiloAddress.ToParsableString();
        int gpus = slots.All.Count(s => s.Kind == SlotKind.Gpu), cpus = slots.All.Count(s => s.Kind == SlotKind.Cpu);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await board.Publish(new SlotReport
                {
                    Silo = here, Sequence = Interlocked.Increment(ref _sequence), GpuSlots = gpus, CpuSlots = cpus, Busy = slots.Busy,
                });
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                logger.LogDebug("Publishing the device slots failed ({Error}); retrying", e.Message);
            }
            try { await _changed.WaitAsync(Interval, stop); }
            catch (OperationCanceledException) { return; }
        }
    }
}
