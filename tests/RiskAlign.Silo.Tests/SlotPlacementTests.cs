using Microsoft.Extensions.DependencyInjection;
using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Grains;
using RiskAlign.Silo.Placement;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// GPU-aware placement on two in-process silos with different device sets: silo 0 has one CPU slot and no GPU,
/// silo 1 pretends to have two GPUs (a device set injected here; the fake runner only records the device it was
/// given, nothing runs on CUDA). Expected placements follow from the slot board's rule: GPU first, CPU only where
/// the trial's <c>training.device</c> allows it, one trial per GPU slot, trials waiting in the sweep in launch order.
/// </summary>
[Collection(InProcessClusters.Name)]
public sealed class SlotPlacementTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static Task<TestCluster> StartCpuAndPretendGpuSilosAsync(FakeRunner runner) =>
        TestCluster.StartAsync(silos: 2, runner, cpuSlots: 1, configureSilo: (index, silo) =>
        {
            if (index == 1) silo.Services.AddSingleton(new DeviceSlots([new DeviceSlot("cuda:0", 0), new DeviceSlot("cuda:1", 0)]));
        });

    /// <summary>Waits until both silos have published their slots to the board.</summary>
    private static async Task<IReadOnlyList<SiloSlots>> BoardWithBothSilosAsync(TestCluster cluster)
    {
        var board = cluster.Client.GetGrain<ISlotBoardGrain>(ISlotBoardGrain.Key);
        for (var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20); ;)
        {
            var slots = await board.GetSlots();
            if (slots.Count == 2) return slots;
            Assert.True(DateTime.UtcNow < deadline, $"the board knows {slots.Count} silo(s)");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Silos_advertise_their_device_sets_to_the_slot_board()
    {
        await using var cluster = await StartCpuAndPretendGpuSilosAsync(new FakeRunner());
        var slots = await BoardWithBothSilosAsync(cluster);

        Assert.Equal([(0, 1), (2, 0)], slots.Select(s => (s.GpuSlots, s.CpuSlots)).Order());
        Assert.All(slots, s => Assert.Equal((s.GpuSlots, s.CpuSlots), (s.FreeGpuSlots, s.FreeCpuSlots)));
    }

    [Fact]
    public async Task Gpu_only_trials_run_one_per_gpu_slot_never_on_the_cpu_silo_and_wait_in_launch_order()
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(50) };
        await using var cluster = await StartCpuAndPretendGpuSilosAsync(runner);
        await BoardWithBothSilosAsync(cluster);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("gpu-only");
        await sweep.Start(FakeSweeps.Request("gpu-only", count: 6, maxConcurrent: 6, device: TrialDevice.Gpu));

        // The cluster has two GPU slots: the sweep holds the other trials Pending instead of queueing them on a silo.
        int mostRunning = 0;
        SweepSnapshot snapshot;
        for (var deadline = DateTime.UtcNow + Bound; ; await Task.Delay(20))
        {
            snapshot = await sweep.GetSnapshot();
            mostRunning = Math.Max(mostRunning, snapshot.Trials.Count(t => t.Status == TrialStatus.Running));
            if (snapshot.Status == SweepStatus.Completed) break;
            Assert.True(DateTime.UtcNow < deadline, $"sweep still {snapshot.Status}");
        }

        Assert.All(snapshot.Trials, t => Assert.Equal(TrialStatus.Completed, t.Result!.Status));
        Assert.All(snapshot.Trials, t => Assert.Contains(" cuda:", t.Result!.Placement));
        Assert.DoesNotContain("cpu", runner.Devices);
        Assert.True(mostRunning <= 2, $"{mostRunning} trials were sent at once to two GPU slots");
        Assert.Equal(2, runner.MaxObservedConcurrency); // both pretend GPUs were used, never more than one trial each
        // Launch order: a trial starts no later than the slot after the one its predecessor took.
        Assert.All(runner.Started.Select((trial, position) => (trial, position)), s => Assert.True(s.trial <= s.position + 1,
            $"trial {s.trial} started {s.position + 1}th: {string.Join(", ", runner.Started)}"));
    }

    [Fact]
    public async Task Trials_that_allow_the_cpu_take_the_gpus_first_then_the_cpu_silo()
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(100) };
        await using var cluster = await StartCpuAndPretendGpuSilosAsync(runner);
        await BoardWithBothSilosAsync(cluster);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("any-device");
        await sweep.Start(FakeSweeps.Request("any-device", count: 3, maxConcurrent: 3, device: TrialDevice.Any));

        var snapshot = await TestCluster.WaitForEndAsync(sweep, Bound);

        Assert.All(snapshot.Trials, t => Assert.Equal(TrialStatus.Completed, t.Result!.Status));
        Assert.Contains(" cuda:", snapshot.Trials[0].Result!.Placement);
        Assert.Contains(" cuda:", snapshot.Trials[1].Result!.Placement);
        Assert.Contains(" cpu#", snapshot.Trials[2].Result!.Placement);
        Assert.Equal(3, runner.MaxObservedConcurrency);
    }
}
