using System.Collections.Concurrent;
using System.Diagnostics;

namespace RiskAlign.Framework.Tests.Training;

public sealed class TrialExecutorTests
{
    private static readonly TrainingSettings Short = new() { Steps = 60, BatchSize = 16, LearningRate = 1e-3, EvalEvery = 30, Seed = 0 };

    [Fact]
    public void Dpo_training_beats_the_reference_on_true_reward_and_learns_the_preferences()
    {
        var result = TrialExecutor.Run(TestTrials.Trial(Short), TestTrials.Plugins(new TestDpoLoss(), beta: 0.1), TaskContext.Cpu, null, default);

        Assert.True(result.Status == TrialStatus.Completed, result.Error);
        Assert.Equal(60, result.StepsCompleted);
        Assert.Equal([0, 30, 60], result.Evaluations.Select(e => e.Step));
        Assert.Equal("kl/true", result.DriftMetric);
        Assert.Equal("reward/true", result.RewardMetric);
        Assert.True(result.TokensPerSecond > 0);
        Assert.Null(result.PeakDeviceMemoryBytes); // CPU: no per-trial device memory
        var start = result.Evaluations[0].Metrics;
        var end = result.Evaluations[^1].Metrics;
        foreach (var name in new[] { "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins", "logps/chosen",
                     "logps/rejected", "kl/seq_chosen", "kl/seq_rejected", "loss", "reward/true", "kl/true" })
            Assert.Contains(name, end.Keys);
        // Step 0 is the reference itself: no drift, zero implicit rewards, loss ln 2.
        Assert.Equal(0, start["kl/true"], 6);
        Assert.Equal(0, start["kl/seq_chosen"], 6);
        Assert.Equal(Math.Log(2), start["loss"], 5);
        // Labels agree with the true reward on ~75% of pairs (BT on reward gaps of order 1–2), so a policy that has
        // learnt something beats chance on held-out pairs; an exploratory run reached 0.72–0.75 after 100 steps.
        Assert.True(end["rewards/accuracies"] > 0.6, $"held-out reward accuracy {end["rewards/accuracies"]:F3}");
        // The reference scores ≈ 1.3 true reward; 100 DPO steps at β = 0.1 reached ≈ 4.4 in the same exploration.
        Assert.True(end["reward/true"] > start["reward/true"] + 0.5, $"true reward {start["reward/true"]:F3} → {end["reward/true"]:F3}");
        Assert.True(end["kl/true"] > 0);
        Assert.Equal(result.Reward, end["reward/true"]);
    }

    [Fact]
    public void Same_trial_twice_gives_the_same_numbers()
    {
        var settings = Short with { Steps = 10, EvalEvery = 10 };
        var a = TrialExecutor.Run(TestTrials.Trial(settings), TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);
        var b = TrialExecutor.Run(TestTrials.Trial(settings), TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);
        Assert.Equal(a.Evaluations[^1].Metrics, b.Evaluations[^1].Metrics);
    }

    [Fact]
    public void A_loss_that_turns_NaN_ends_the_trial_as_Diverged_naming_the_step()
    {
        var result = TrialExecutor.Run(TestTrials.Trial(Short, loss: "test-nan"), TestTrials.Plugins(new NaNAfterLoss(nanFrom: 5)), TaskContext.Cpu, null, default);
        Assert.Equal(TrialStatus.Diverged, result.Status);
        Assert.Contains("became NaN at step 5", result.Error);
        Assert.Equal(4, result.StepsCompleted);
        Assert.Single(result.Evaluations); // step 0 only
    }

    [Fact]
    public void Cancellation_stops_the_trial_as_Cancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress(p => { if (p.Step == 3) cancellation.Cancel(); });
        var result = TrialExecutor.Run(TestTrials.Trial(Short with { Steps = 100 }), TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, progress, cancellation.Token);
        Assert.Equal(TrialStatus.Cancelled, result.Status);
        Assert.Equal(3, result.StepsCompleted);
        Assert.Equal(3, progress.Reports[^1].Step);
    }

    [Fact]
    public void Progress_reports_every_step_of_a_short_trial_with_a_finite_loss()
    {
        var progress = new CallbackProgress(_ => { });
        TrialExecutor.Run(TestTrials.Trial(Short with { Steps = 5, EvalEvery = 5 }), TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, progress, default);
        Assert.Equal([1, 2, 3, 4, 5], progress.Reports.Where(r => r.EvaluatedDrift is null).Select(r => r.Step));
        Assert.All(progress.Reports, r => { Assert.Equal(5, r.TotalSteps); Assert.True(double.IsFinite(r.Loss)); });
        // Each evaluation after step 0 is reported too, with the task's drift and reward (early stopping judges on them).
        var evaluated = Assert.Single(progress.Reports, r => r.EvaluatedDrift is not null);
        Assert.Equal(5, evaluated.Step);
        Assert.True(double.IsFinite(evaluated.EvaluatedDrift!.Value) && double.IsFinite(evaluated.EvaluatedReward!.Value));
    }

    [Fact]
    public void Binding_a_loss_that_needs_a_risk_measure_without_one_is_a_broken_invariant()
    {
        // The planner refuses such an arm with the field named (SweepPlannerTests); past it, this is a programming error.
        var error = Assert.Throws<InvalidOperationException>(() => TestTrials.Plugins(new RiskHungryLoss()));
        Assert.Contains("Invariant broken", error.Message);
    }

    [Fact]
    public void Task_settings_the_planner_did_not_read_fail_the_trial_naming_the_setting()
    {
        var trial = TestTrials.Trial(Short) with { Task = new TaskChoice("synthetic", """{"vocab_size": "many"}""") };
        var result = TrialExecutor.Run(trial, TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);
        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Contains("vocab_size", result.Error);
    }

    [Fact]
    public void A_gradient_penalty_on_the_input_embeddings_trains_through_double_backward()
    {
        var plugins = TestTrials.Plugins(new TestDpoLoss(), set: new GradientPenaltySet());
        var result = TrialExecutor.Run(TestTrials.Trial(Short with { Steps = 5, EvalEvery = 5 }), plugins, TaskContext.Cpu, null, default);
        Assert.True(result.Status == TrialStatus.Completed, result.Error);
        Assert.True(result.Evaluations[^1].Metrics["kl/true"] > 0); // the policy moved
    }

    [Fact]
    public void Train_and_eval_spans_nest_under_the_callers_activity_with_trial_tags()
    {
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RiskAlignTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("RiskAlign.Tests.Spans");
        using var parentListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(parentListener);
        ActivityTraceId traceId;
        using (var trial = source.StartActivity("trial")!)
        {
            traceId = trial.TraceId;
            TrialExecutor.Run(TestTrials.Trial(Short with { Steps = 4, EvalEvery = 2 }, index: 7), TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);
        }
        var mine = spans.Where(s => s.TraceId == traceId).ToList();
        var train = Assert.Single(mine, s => s.OperationName == RiskAlignTelemetry.Spans.Train);
        Assert.Equal("test-7", train.GetTagItem(RiskAlignTelemetry.Tags.TrialId));
        Assert.Equal("Completed", train.GetTagItem(RiskAlignTelemetry.Tags.Status));
        var evals = mine.Where(s => s.OperationName == RiskAlignTelemetry.Spans.Eval).ToList();
        Assert.Equal(3, evals.Count); // steps 0, 2, 4
        Assert.All(evals, e => Assert.Equal(train.SpanId, e.ParentSpanId));
        Assert.Contains(mine, s => s.OperationName == RiskAlignTelemetry.Spans.TaskBuild);
    }

    [Fact]
    public void A_cancel_that_arrives_after_the_last_step_keeps_the_final_evaluation()
    {
        // The progress report of the last step comes before its evaluation: cancelling there is a cancel that arrives
        // once training has finished.
        using var cancellation = new CancellationTokenSource();
        var progress = new CallbackProgress(p => { if (p.Step == p.TotalSteps) cancellation.Cancel(); });
        var result = TrialExecutor.Run(TestTrials.Trial(Short with { Steps = 5, EvalEvery = 5 }), TestTrials.Plugins(new TestDpoLoss()),
            TaskContext.Cpu, progress, cancellation.Token);
        Assert.True(cancellation.IsCancellationRequested);
        Assert.Equal(TrialStatus.Completed, result.Status);
        Assert.Equal(5, result.Evaluations[^1].Step);
    }

    private sealed class CallbackProgress(Action<TrialProgress> onReport) : IProgress<TrialProgress>
    {
        public List<TrialProgress> Reports { get; } = [];
        public void Report(TrialProgress value)
        {
            Reports.Add(value);
            onReport(value);
        }
    }
}

public sealed class TrialExecutorSweepTests
{
    private static readonly TrainingSettings Settings = new() { Steps = 60, BatchSize = 16, LearningRate = 1e-3, EvalEvery = 60, Seed = 0 };

    [Fact]
    public void Higher_beta_drifts_less_from_the_reference()
    {
        // The DPO optimum is π_ref·exp(r/β): a larger β keeps the policy closer. Exploration at 100 steps gave
        // kl/true ≈ 7.0 at β = 0.03 and ≈ 1.3 at β = 1.
        var low = TrialExecutor.Run(TestTrials.Trial(Settings), TestTrials.Plugins(new TestDpoLoss(), beta: 0.03), TaskContext.Cpu, null, default);
        var high = TrialExecutor.Run(TestTrials.Trial(Settings), TestTrials.Plugins(new TestDpoLoss(), beta: 1.0), TaskContext.Cpu, null, default);
        Assert.True(high.Drift < 0.7 * low.Drift, $"kl/true {low.Drift:F3} at β=0.03, {high.Drift:F3} at β=1");
    }

    [Fact]
    public async Task Trials_on_parallel_threads_give_the_numbers_they_give_alone()
    {
        var settings = Settings with { Steps = 8, EvalEvery = 8 };
        TrialResult RunOne(int seed) => TrialExecutor.Run(TestTrials.Trial(settings with { Seed = seed }, index: seed),
            TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);
        var alone = Enumerable.Range(0, 3).Select(RunOne).ToArray();
        var threads = Enumerable.Range(0, 3).Select(seed => Task.Factory.StartNew(() => RunOne(seed), TaskCreationOptions.LongRunning)).ToArray();
        var together = await Task.WhenAll(threads);
        for (int i = 0; i < 3; i++)
            Assert.Equal(alone[i].Evaluations[^1].Metrics, together[i].Evaluations[^1].Metrics);
        Assert.NotEqual(alone[0].Evaluations[^1].Metrics["loss"], alone[1].Evaluations[^1].Metrics["loss"]); // the seed orders the data
    }
}
