using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Grains;
using RiskAlign.Silo.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// <c>training.time_limit_minutes</c>: a trial that outlasts it is stopped with its evaluations so far, and one that
/// does not come back when cancelled fails instead of being waited on for ever, keeping its slot until its thread returns.
/// </summary>
[Collection(InProcessClusters.Name)]
public sealed class TrialTimeLimitTests
{
    [Fact]
    public async Task A_trial_that_outlasts_its_time_limit_is_stopped_and_the_sweep_goes_on()
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(20) };
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 2);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("time-limited");
        var trials = FakeSweeps.Request("time-limited", count: 2, maxConcurrent: 2).Trials;
        // Trial 0 would train 1000 steps (20 s) within a limit of 0.5 s; trial 1 has no limit.
        await sweep.Start(new SweepRequest
        {
            SweepId = "time-limited", Name = "fake", MaxConcurrentTrials = 2,
            Trials = [trials[0] with { Training = trials[0].Training with { Steps = 1000, TimeLimit = TimeSpan.FromMilliseconds(500) } }, trials[1]],
        });

        var snapshot = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        var limited = snapshot.Trials[0].Result!;
        Assert.Equal(TrialStatus.Stopped, limited.Status);
        Assert.InRange(limited.StepsCompleted, 0, 999);
        Assert.StartsWith("Reached its time limit of 0.008 min; stopped after ", limited.Error);
        Assert.Equal(TrialStatus.Completed, snapshot.Trials[1].Status);
    }

    [Fact]
    public async Task A_run_that_does_not_stop_at_its_time_limit_fails_and_keeps_its_slot_until_its_thread_returns()
    {
        var grace = TrialGrain.StopGrace;
        TrialGrain.StopGrace = TimeSpan.FromMilliseconds(300);
        try
        {
            var runner = new StuckFirstTrial(TimeSpan.FromSeconds(5));
            await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 1);
            var sweep = cluster.Client.GetGrain<ISweepGrain>("stuck");
            var trials = FakeSweeps.Request("stuck", count: 2, maxConcurrent: 2).Trials;
            await sweep.Start(new SweepRequest
            {
                SweepId = "stuck", Name = "fake", MaxConcurrentTrials = 2,
                Trials = [trials[0] with { Training = trials[0].Training with { TimeLimit = TimeSpan.FromMilliseconds(300) } }, trials[1]],
            });

            var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            SweepSnapshot snapshot;
            while ((snapshot = await sweep.GetSnapshot()).Trials[0].Result is null && DateTime.UtcNow < until) await Task.Delay(50);

            var failed = snapshot.Trials[0].Result!;
            Assert.Equal(TrialStatus.Failed, failed.Status);
            Assert.Contains("did not stop within 0.3 s of being cancelled", failed.Error);
            Assert.False(runner.FirstReturned, "the result waited for the stuck run: the test proves nothing");

            snapshot = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));
            Assert.Equal(TrialStatus.Completed, snapshot.Trials[1].Status);
            Assert.Equal(0, runner.FirstStarted);
            Assert.True(runner.SecondStartedAfterFirstReturned, "trial 1 took the slot while the stuck run still held it");
        }
        finally
        {
            TrialGrain.StopGrace = grace;
        }
    }

    /// <summary>Trial 0 blocks for <paramref name="stuckFor"/> whatever its token says (a step stuck in a native call);
    /// the others complete at once.</summary>
    private sealed class StuckFirstTrial(TimeSpan stuckFor) : ITrialRunner
    {
        private volatile bool _firstReturned;
        private int _firstStarted = -1;
        public bool FirstReturned => _firstReturned;
        /// <summary>The index of the trial that ran first.</summary>
        public int FirstStarted => Volatile.Read(ref _firstStarted);
        public bool SecondStartedAfterFirstReturned { get; private set; }

        public TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
        {
            Interlocked.CompareExchange(ref _firstStarted, trial.Index, -1);
            if (trial.Index != 0)
            {
                SecondStartedAfterFirstReturned = _firstReturned;
                return FakeTrials.Completed(trial, drift: 0.1, reward: 0.3);
            }
            Thread.Sleep(stuckFor);
            _firstReturned = true;
            return FakeTrials.Completed(trial, drift: 0.2, reward: 0.4);
        }
    }
}
