using RiskAlign.Abstractions;
using RiskAlign.Framework.Sweeps;
using RiskAlign.Silo.Grains;
using RiskAlign.Silo.Trials;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>NSGA-II proposals and ASHA stops run by the sweep grain itself, on a real embedded silo with fake trials.</summary>
public sealed class SweepSearchTests
{
    private static async Task<SweepSnapshot> WaitForEndAsync(ISweepGrain sweep, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var snapshot = await sweep.GetSnapshot();
            if (snapshot.Status is SweepStatus.Completed or SweepStatus.Cancelled && snapshot.Finished == snapshot.Trials.Count) return snapshot;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Sweep still {snapshot.Status} with {snapshot.Finished}/{snapshot.Trials.Count} finished.");
            await Task.Delay(50);
        }
    }

    private static SearchPlan Nsga2Plan(string sweepId, int maxTrials, int[] seeds) => new()
    {
        Arms = [new SearchArmPlan(FakeTrials.Trial(sweepId, 0, 0.5),
            [new SearchParameter(SearchedPlugin.Loss, "beta", new SearchDimension("loss.beta", 0.01, 1, Log: true, Integer: false))])],
        MaxTrials = maxTrials,
        Seed = 1,
        Population = 3,
        Seeds = seeds,
    };

    [Theory]
    [InlineData(7, new[] { 0 })]
    [InlineData(3, new[] { 0, 1 })]
    public async Task An_nsga2_sweep_runs_exactly_max_trials_settings_per_seed_proposed_as_results_arrive(int maxTrials, int[] seeds)
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(5) };
        await using var silo = await EmbeddedSilo.StartAsync(runner, cpuSlots: 2);
        var sweep = silo.Client.GetGrain<ISweepGrain>("nsga");

        var started = await sweep.Start(new SweepRequest
        {
            SweepId = "nsga", Name = "fake", Trials = [], MaxConcurrentTrials = 2, Search = Nsga2Plan("nsga", maxTrials, seeds),
        });
        var snapshot = await WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        int expected = maxTrials * seeds.Length;
        Assert.Equal(expected, started.TrialCount);
        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal(Enumerable.Range(0, expected), snapshot.Trials.Select(t => t.Trial.Index));
        Assert.All(snapshot.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(expected, runner.Runs);
        Assert.Equal(expected, snapshot.PlannedTrials);
        Assert.All(snapshot.Trials, t => Assert.InRange(t.Trial.Loss.Values["beta"].Number, 0.01, 1));
        Assert.Equal(Enumerable.Range(0, expected).Select(i => seeds[i % seeds.Length]), snapshot.Trials.Select(t => t.Trial.Training.Seed));
        Assert.Equal(seeds.Length, snapshot.Trials.GroupBy(t => t.Trial.Loss.ToString()).Min(g => g.Count())); // each setting once per seed
    }

    [Fact]
    public async Task Asha_stops_trials_not_promoted_at_a_rung_and_records_them_stopped_with_their_partial_evaluations()
    {
        // Run one at a time: trial 0 (drift 0.1, reward 1) dominates every later trial i (drift 0.1 + 0.1·i, reward
        // 1 − 0.1·i). Rungs at steps 2, 4, 8 (grace 2, factor 2, 10 steps); a trial continues when it is in the best
        // ⌈n/2⌉ of the n recorded at the rung: trial 0 always (alone, then first), trial 1 is second of 2, trial i
        // ranks i-th of i+1 > ⌈(i+1)/2⌉, so trials 1..4 stop at step 2.
        // ASHA decides asynchronously, so a trial must outlast the decision: at 40 ms a step (320 ms past the rung) a
        // busy CI machine once let trial 2 finish all 10 steps first.
        var runner = new RungRunner { StepTime = TimeSpan.FromMilliseconds(150) };
        await using var silo = await EmbeddedSilo.StartAsync(runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("asha");
        var request = FakeSweeps.Request("asha", count: 5, maxConcurrent: 1);
        await sweep.Start(new SweepRequest
        {
            SweepId = request.SweepId, Name = request.Name, Trials = request.Trials, MaxConcurrentTrials = 1,
            Search = new SearchPlan { Asha = new AshaSettings(2, 2), Rungs = AshaPromotion.Rungs(new AshaSettings(2, 2), 10) },
        });
        var snapshot = await WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal([TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Stopped, TrialStatus.Stopped, TrialStatus.Stopped],
            snapshot.Trials.Select(t => t.Status));
        foreach (var stopped in snapshot.Trials.Skip(1).Select(t => t.Result!))
        {
            Assert.Contains("Stopped by ASHA at step 2", stopped.Error);
            Assert.InRange(stopped.StepsCompleted, 2, 9);
            Assert.NotEmpty(stopped.Evaluations);
            Assert.Equal(2, stopped.Evaluations[0].Step); // the partial evaluations are kept
            Assert.Equal(0.1 + 0.1 * stopped.Trial.Index, stopped.Evaluations[0].Metrics["kl/true"], 12);
        }
        Assert.Equal(10, snapshot.Trials[0].Result!.StepsCompleted);
        Assert.Equal([0], snapshot.FrontIndices); // stopped trials are on no front
    }
}

/// <summary>Evaluates every 2 steps (drift 0.1·(i+1), reward 1 − 0.1·i for trial i, constant over steps), reports each
/// evaluation with its progress, and ends Cancelled with the evaluations so far when cancelled (as the trainer does).</summary>
internal sealed class RungRunner : ITrialRunner
{
    public TimeSpan StepTime { get; init; } = TimeSpan.FromMilliseconds(20);

    public TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
    {
        double drift = 0.1 + 0.1 * trial.Index, reward = 1 - 0.1 * trial.Index;
        var evaluations = new List<EvaluationPoint>();
        TrialResult Result(TrialStatus status, int steps) => new()
        {
            Trial = trial, Status = status, StepsCompleted = steps, Evaluations = [.. evaluations],
            DriftMetric = "kl/true", RewardMetric = "reward/true",
        };
        for (int step = 1; step <= trial.Training.Steps; step++)
        {
            if (cancellationToken.IsCancellationRequested) return Result(TrialStatus.Cancelled, step - 1);
            Thread.Sleep(StepTime);
            if (step % 2 == 0)
            {
                evaluations.Add(new EvaluationPoint(step, new Dictionary<string, double> { ["kl/true"] = drift, ["reward/true"] = reward }));
                progress.Report(new TrialProgress(step, trial.Training.Steps, 0) { EvaluatedDrift = drift, EvaluatedReward = reward });
            }
        }
        return Result(TrialStatus.Completed, trial.Training.Steps);
    }
}
