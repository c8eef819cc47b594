using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Placement;

namespace RiskAlign.Silo.Tests;

/// <summary>The slot board's bookkeeping on its own: which silo a trial is granted, and when slots free again.</summary>
public sealed class SlotLedgerTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly IReadOnlyList<SlotKind> Any = SlotKinds.For(TrialDevice.Any);
    private static readonly IReadOnlyList<SlotKind> GpuOnly = SlotKinds.For(TrialDevice.Gpu);
    private static readonly IReadOnlyList<SlotKind> CpuOnly = SlotKinds.For(TrialDevice.Cpu);

    private static SlotLedger Ledger() => new(unconfirmedLifetime: TimeSpan.FromSeconds(60), silentSiloLifetime: TimeSpan.FromSeconds(30));

    private static SlotReport Report(string silo, long sequence, int gpus, int cpus, params (string Trial, SlotKind Kind)[] busy) => new()
    {
        Silo = silo, Sequence = sequence, GpuSlots = gpus, CpuSlots = cpus, Busy = busy.ToDictionary(b => b.Trial, b => b.Kind),
    };

    private static bool AllLive(string _) => true;

    [Fact]
    public void Trials_take_gpu_slots_first_then_cpu_slots_where_allowed_and_gpu_only_trials_wait()
    {
        var ledger = Ledger();
        ledger.Publish(Report("cpu-box", 1, gpus: 0, cpus: 1), T0);
        ledger.Publish(Report("gpu-box", 1, gpus: 2, cpus: 0), T0);

        Assert.Equal(new SlotGrant("gpu-box", SlotKind.Gpu), ledger.Claim("t0", Any, AllLive, T0));
        Assert.Equal(new SlotGrant("gpu-box", SlotKind.Gpu), ledger.Claim("t1", GpuOnly, AllLive, T0));
        Assert.Null(ledger.Claim("t2", GpuOnly, AllLive, T0)); // one trial per GPU slot: both are taken
        Assert.Equal(new SlotGrant("cpu-box", SlotKind.Cpu), ledger.Claim("t3", Any, AllLive, T0));
        Assert.Null(ledger.Claim("t4", CpuOnly, AllLive, T0));

        ledger.Release("t1");
        Assert.Equal(new SlotGrant("gpu-box", SlotKind.Gpu), ledger.Claim("t2", GpuOnly, AllLive, T0));
    }

    [Fact]
    public void Slots_free_again_when_the_silo_reports_the_trial_gone_or_never_confirms_it()
    {
        var ledger = Ledger();
        ledger.Publish(Report("box", 1, gpus: 1, cpus: 0), T0);
        Assert.NotNull(ledger.Claim("a", Any, AllLive, T0));
        ledger.Publish(Report("box", 2, gpus: 1, cpus: 0, ("a", SlotKind.Gpu)), T0); // the trial took its slot
        Assert.Null(ledger.Claim("b", Any, AllLive, T0));

        ledger.Publish(Report("box", 1, gpus: 1, cpus: 0), T0); // a late, older report changes nothing
        Assert.Null(ledger.Claim("b", Any, AllLive, T0));

        ledger.Publish(Report("box", 3, gpus: 1, cpus: 0), T0); // trial a ended (its release message was lost)
        Assert.NotNull(ledger.Claim("b", Any, AllLive, T0));

        // b never reaches the silo: after the unconfirmed lifetime its reservation lapses.
        ledger.Publish(Report("box", 4, gpus: 1, cpus: 0), T0.AddSeconds(10));
        Assert.Null(ledger.Claim("c", Any, AllLive, T0.AddSeconds(10)));
        ledger.Publish(Report("box", 5, gpus: 1, cpus: 0), T0.AddSeconds(61));
        Assert.NotNull(ledger.Claim("c", Any, AllLive, T0.AddSeconds(61)));
    }

    [Fact]
    public void A_dead_or_silent_silo_is_never_granted()
    {
        var ledger = Ledger();
        ledger.Publish(Report("dead", 1, gpus: 4, cpus: 0), T0);
        ledger.Publish(Report("silent", 1, gpus: 4, cpus: 0), T0);
        ledger.Publish(Report("alive", 1, gpus: 0, cpus: 1), T0.AddSeconds(40));

        Assert.Equal(new SlotGrant("alive", SlotKind.Cpu), ledger.Claim("t", Any, silo => silo != "dead", T0.AddSeconds(40)));
        Assert.Equal(["alive"], ledger.Snapshot(AllLive, T0.AddSeconds(40)).Select(s => s.Silo));
    }

    [Fact]
    public void The_silo_with_most_free_slots_of_the_kind_is_chosen()
    {
        var ledger = Ledger();
        ledger.Publish(Report("a", 1, gpus: 1, cpus: 0), T0);
        ledger.Publish(Report("b", 1, gpus: 2, cpus: 0), T0);

        Assert.Equal("b", ledger.Claim("t0", Any, AllLive, T0)!.Silo);
        Assert.Equal("a", ledger.Claim("t1", Any, AllLive, T0)!.Silo); // both have one free: ties by address
        Assert.Equal("b", ledger.Claim("t2", Any, AllLive, T0)!.Silo);
    }
}
