using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// Kill tests: a silo of a three-silo in-process cluster is killed (no shutdown, as a crash or kill -9) while the
/// sweep runs. Expected values come from the same sweep run undisturbed on a single silo: the fake runner is
/// deterministic (drift = β, reward = √β of each trial), as the real trainer is for a fixed seed.
/// </summary>
[Collection(InProcessClusters.Name)]
public sealed class SiloFailureTests
{
    private const int Trials = 9;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    private static async Task<IReadOnlyList<(double Drift, double Reward)>> UndisturbedAsync(string sweepId)
    {
        await using var silo = await EmbeddedSilo.StartAsync(new FakeRunner(), cpuSlots: 4);
        var sweep = silo.Client.GetGrain<ISweepGrain>(sweepId);
        await sweep.Start(FakeSweeps.Request(sweepId, Trials, maxConcurrent: 6));
        var snapshot = await TestCluster.WaitForEndAsync(sweep, Bound);
        return [.. snapshot.Trials.Select(t => (t.Result!.Drift, t.Result.Reward))];
    }

    private static void AssertEveryTrialOnceWithTheUndisturbedNumbers(SweepSnapshot snapshot, IReadOnlyList<(double, double)> expected)
    {
        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal(Enumerable.Range(0, Trials), snapshot.Trials.Select(t => t.Result!.Trial.Index));
        Assert.All(snapshot.Trials, t => Assert.Equal(TrialStatus.Completed, t.Result!.Status));
        Assert.Equal(expected, snapshot.Trials.Select(t => (t.Result!.Drift, t.Result.Reward)));
    }

    [Fact]
    public async Task Trials_of_a_killed_silo_run_again_elsewhere_and_the_sweep_completes_with_the_same_numbers()
    {
        var expected = await UndisturbedAsync("kill-worker");
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(100) };
        await using var cluster = await TestCluster.StartAsync(silos: 3, runner, cpuSlots: 2);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("kill-worker");
        await sweep.Start(FakeSweeps.Request("kill-worker", Trials, maxConcurrent: 6));
        await Task.Delay(300);

        // A silo that runs trials but does not hold the sweep grain.
        var sweepSilo = cluster.SiloOf(sweep);
        var victim = Enumerable.Range(0, Trials)
            .Select(i => cluster.SiloOf(cluster.Client.GetGrain<ITrialGrain>($"kill-worker-{i}")))
            .FirstOrDefault(s => s is not null && s != sweepSilo);
        Assert.True(victim is not null, "random placement put all six running trials on the sweep's silo (chance 1 in 729)");
        await cluster.Cluster.KillSiloAsync(victim);

        var snapshot = await TestCluster.WaitForEndAsync(sweep, Bound);
        AssertEveryTrialOnceWithTheUndisturbedNumbers(snapshot, expected);
        Assert.True(runner.Finished.Count >= Trials, $"only {runner.Finished.Count} runs reached their last step");
    }

    [Fact]
    public async Task Killing_the_silo_of_the_sweep_grain_loses_nothing_and_the_sweep_resumes_elsewhere()
    {
        var expected = await UndisturbedAsync("kill-host");
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(100) };
        await using var cluster = await TestCluster.StartAsync(silos: 3, runner, cpuSlots: 2);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("kill-host");
        await sweep.Start(FakeSweeps.Request("kill-host", Trials, maxConcurrent: 6));
        // Let some trials finish first, so the test also shows that finished results survive the host's death.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (await sweep.GetSnapshot()).Finished < 2;)
        {
            Assert.True(DateTime.UtcNow < deadline, "no trial finished");
            await Task.Delay(50);
        }

        var host = cluster.SiloOf(sweep);
        Assert.NotNull(host);
        await cluster.Cluster.KillSiloAsync(host);

        var snapshot = await TestCluster.WaitForEndAsync(sweep, Bound);
        AssertEveryTrialOnceWithTheUndisturbedNumbers(snapshot, expected);
        Assert.NotEqual(host.SiloAddress, cluster.SiloOf(sweep)?.SiloAddress);
    }

    [Fact]
    public async Task A_trial_lost_more_often_than_max_failures_is_failed_with_the_reason()
    {
        // max_failures 0: the first loss is final.
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(200) };
        await using var cluster = await TestCluster.StartAsync(silos: 2, runner, cpuSlots: 2);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("no-retry");
        await sweep.Start(FakeSweeps.Request("no-retry", count: 4, maxConcurrent: 4, maxFailures: 0));
        await Task.Delay(300);

        var sweepSilo = cluster.SiloOf(sweep);
        var lost = Enumerable.Range(0, 4)
            .Where(i => cluster.SiloOf(cluster.Client.GetGrain<ITrialGrain>($"no-retry-{i}")) is { } s && s != sweepSilo).ToList();
        Assert.NotEmpty(lost); // activation-count placement spreads four trials over two silos
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.First(s => s != sweepSilo));

        var snapshot = await TestCluster.WaitForEndAsync(sweep, Bound);
        Assert.All(lost, i =>
        {
            Assert.Equal(TrialStatus.Failed, snapshot.Trials[i].Result!.Status);
            Assert.Contains("max_failures is 0", snapshot.Trials[i].Result!.Error);
        });
        Assert.All(Enumerable.Range(0, 4).Except(lost), i => Assert.Equal(TrialStatus.Completed, snapshot.Trials[i].Result!.Status));
    }
}
