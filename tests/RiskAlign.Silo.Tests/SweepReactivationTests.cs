using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Tests;

/// <summary>What a sweep grain does when it is activated again from storage (after its silo died, or a restart).</summary>
[Collection(InProcessClusters.Name)]
public sealed class SweepReactivationTests
{
    [Fact]
    public async Task A_reactivated_finished_sweep_reports_its_results_and_runs_nothing()
    {
        var runner = new FakeRunner();
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 2);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("done");
        await sweep.Start(FakeSweeps.Request("done", count: 3, maxConcurrent: 3));
        var before = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        var stored = Stored(cluster, sweep);
        Assert.Equal(SweepStatus.Completed, stored.Status); // written to storage, not only in memory
        await cluster.Cluster.DeactivateAsync(sweep);
        var after = await sweep.GetSnapshot();
        await Task.Delay(SweepGrain.WatchInterval * 4);

        Assert.Equal(SweepStatus.Completed, after.Status);
        Assert.Equal(before.Trials.Select(t => t.Result!.Drift), after.Trials.Select(t => t.Result!.Drift));
        Assert.Equal(3, runner.Runs);
    }

    [Fact]
    public async Task A_restored_running_sweep_resumes_keeps_its_finished_result_and_resends_the_trial_of_a_dead_silo()
    {
        var runner = new FakeRunner();
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 2);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("restored");
        // As storage holds it after the whole cluster went away: trial 0 finished (with a marker result no fake
        // run produces), trial 1 running on a silo that no longer exists, trials 2 and 3 never started.
        var request = FakeSweeps.Request("restored", count: 4, maxConcurrent: 2);
        var marker = new TrialResult { Trial = request.Trials[0], Status = TrialStatus.Completed, Error = "kept from before" };
        var gone = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 1), 1).ToParsableString();
        var state = new SweepState
        {
            Name = "fake",
            Status = SweepStatus.Running,
            Trials = [.. request.Trials],
            Statuses = [TrialStatus.Completed, TrialStatus.Running, TrialStatus.Pending, TrialStatus.Pending],
            Results = [marker, null, null, null],
            Attempts = [1, 1, 0, 0],
            Silos = [null, gone, null, null],
            Losses = [0, 0, 0, 0],
            MaxConcurrentTrials = 2,
            MaxFailures = 3,
        };
        cluster.Store[SharedGrainStorage.Key("sweep", sweep.GetGrainId())] = (Serializer(cluster).SerializeToArray(state), "seeded");

        var snapshot = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal("kept from before", snapshot.Trials[0].Result!.Error);
        Assert.Equal([1, 2, 3], runner.Finished.Order());
        Assert.Equal(SweepStatus.Completed, Stored(cluster, sweep).Status);
        Assert.Equal(1, Stored(cluster, sweep).Losses[1]);
    }

    private static Serializer Serializer(TestCluster cluster) => cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();

    private static SweepState Stored(TestCluster cluster, ISweepGrain sweep) =>
        Serializer(cluster).Deserialize<SweepState>(cluster.Store[SharedGrainStorage.Key("sweep", sweep.GetGrainId())].Data)!;
}
