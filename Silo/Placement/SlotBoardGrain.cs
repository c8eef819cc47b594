using RiskAlign.Silo.Devices;

namespace RiskAlign.Silo.Placement;

/// <inheritdoc cref="ISlotBoardGrain"/>
public sealed class SlotBoardGrain(IClusterMembershipService membership) : Grain, ISlotBoardGrain
{
    // A reservation whose trial no report shows after this long never reached its silo. A silo silent this long
    // (its publisher reports every few seconds) is treated as gone even before membership says so.
    private readonly SlotLedger _ledger = new(unconfirmedLifetime: TimeSpan.FromSeconds(60), silentSiloLifetime: TimeSpan.FromSeconds(30));

    public Task Publish(SlotReport report)
    {
        if (IsLive(report.Silo)) _ledger.Publish(report, DateTime.UtcNow);
        return Task.CompletedTask;
    }

    public Task<SlotGrant?> Claim(string trialId, TrialDevice device) =>
        Task.FromResult(_ledger.Claim(trialId, SlotKinds.For(device), IsLive, DateTime.UtcNow));

    public Task Release(string trialId)
    {
        _ledger.Release(trialId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SiloSlots>> GetSlots() => Task.FromResult(_ledger.Snapshot(IsLive, DateTime.UtcNow));

    // Joining and Active silos host trials; Dead, ShuttingDown, Stopping and unknown ones do not.
    private bool IsLive(string silo) =>
        membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(silo)) is SiloStatus.Active or SiloStatus.Joining;
}
