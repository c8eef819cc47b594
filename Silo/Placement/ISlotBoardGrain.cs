using Orleans.Concurrency;

namespace RiskAlign.Silo.Placement;

/// <summary>
/// The cluster's slot board (one grain, key <see cref="Key"/>): silos publish their free device slots by kind, sweep
/// grains reserve one before they send a trial, and the trial is placed on the reserved silo
/// (<see cref="SlotPlacementDirector"/>). Its state lives in memory only; silos republish every few seconds, so a
/// board whose silo died is rebuilt on another within one publishing interval.
/// </summary>
public interface ISlotBoardGrain : IGrainWithIntegerKey
{
    /// <summary>The board's key.</summary>
    public const long Key = 0;

    /// <summary>A silo's device set and the trials holding its slots (<see cref="SlotBoardPublisher"/>).</summary>
    [OneWay]
    Task Publish(SlotReport report);

    /// <summary>Reserves a free slot that <paramref name="device"/> accepts (GPU first for <see cref="TrialDevice.Any"/>)
    /// for trial <paramref name="trialId"/>; null when the cluster has none free.</summary>
    Task<SlotGrant?> Claim(string trialId, TrialDevice device);

    /// <summary>The trial ended (or was placed elsewhere): its reservation ends.</summary>
    [OneWay]
    Task Release(string trialId);

    /// <summary>Every live silo's slots and how many are free.</summary>
    Task<IReadOnlyList<SiloSlots>> GetSlots();
}
