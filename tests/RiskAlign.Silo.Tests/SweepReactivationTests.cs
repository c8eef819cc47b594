using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RiskAlign.Framework.Sweeps;
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

    [Fact]
    public async Task A_restored_nsga2_sweep_proposes_the_rest_of_its_budget_and_no_more()
    {
        var runner = new FakeRunner();
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 2);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("restored-nsga2");
        // As storage holds it: two settings proposed and finished out of a budget of five, then the cluster went away.
        var search = new SearchPlan
        {
            Arms = [new SearchArmPlan(FakeTrials.Trial("restored-nsga2", 0, 0.5),
                [new SearchParameter(SearchedPlugin.Loss, "beta", new SearchDimension("loss.beta", 0.01, 1, Log: true, Integer: false))])],
            MaxTrials = 5, Seed = 2, Population = 2, Seeds = [0],
        };
        var done = SearchProposer.Next(search, [], []).Concat(SearchProposer.Next(search, [], [])).Select((t, i) => t with { Index = i }).ToList();
        var state = new SweepState
        {
            Name = "fake",
            Status = SweepStatus.Running,
            Trials = [.. done],
            Statuses = [TrialStatus.Completed, TrialStatus.Completed],
            Results = [.. done.Select(t => (TrialResult?)new TrialResult { Trial = t, Status = TrialStatus.Completed, Error = "kept" })],
            Attempts = [1, 1],
            Silos = [null, null],
            Losses = [0, 0],
            MaxConcurrentTrials = 2,
            Search = search,
        };
        cluster.Store[SharedGrainStorage.Key("sweep", sweep.GetGrainId())] = (Serializer(cluster).SerializeToArray(state), "seeded");

        var snapshot = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal(5, snapshot.Trials.Count);
        Assert.Equal(["kept", "kept"], snapshot.Trials.Take(2).Select(t => t.Result!.Error));
        Assert.Equal([2, 3, 4], runner.Finished.Order());
        Assert.Equal(5, Stored(cluster, sweep).Search!.MaxTrials); // the plan survives storage
    }

    private static Serializer Serializer(TestCluster cluster) => cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();

    private static SweepState Stored(TestCluster cluster, ISweepGrain sweep) =>
        Serializer(cluster).Deserialize<SweepState>(cluster.Store[SharedGrainStorage.Key("sweep", sweep.GetGrainId())].Data)!;
}
