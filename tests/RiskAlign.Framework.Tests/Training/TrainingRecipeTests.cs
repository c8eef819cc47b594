namespace RiskAlign.Framework.Tests.Training;

public sealed class TrainingRecipeTests
{
    [Fact]
    public void Default_schedule_is_the_original_linear_warm_up_then_constant()
    {
        // The trainer's original rule: lr · min(1, (step + 1) / W), W = warmup_steps.
        var settings = new TrainingSettings { Steps = 20, WarmupSteps = 4 };
        for (int step = 0; step < 20; step++)
            Assert.Equal(Math.Min(1.0, (step + 1.0) / 4), settings.LearningRateFactor(step));
        Assert.All(Enumerable.Range(0, 20), step => Assert.Equal(1.0, new TrainingSettings().LearningRateFactor(step)));
    }

    [Fact]
    public void Warm_up_starts_from_its_factor_and_cosine_and_linear_decay_to_the_floor()
    {
        // Hand-computed: W = 10 of 110 steps, s0 = 0.1 → step 0 uses 0.1 + 0.9·1/10 = 0.19; step 9 reaches 1.
        // After it p = (step − 10)/100: cosine floor + (1 − floor)·(1 + cos πp)/2, linear floor + (1 − floor)·(1 − p).
        var cosine = new TrainingSettings { Steps = 110, WarmupSteps = 10, WarmupStartFactor = 0.1, Schedule = LearningRateSchedule.Cosine, MinLearningRateRatio = 0.2 };
        Assert.Equal(0.19, cosine.LearningRateFactor(0), 12);
        Assert.Equal(1.0, cosine.LearningRateFactor(9), 12);
        Assert.Equal(1.0, cosine.LearningRateFactor(10), 12);
        Assert.Equal(0.2 + 0.8 * 0.5, cosine.LearningRateFactor(60), 12); // p = 0.5, cos = 0
        Assert.Equal(0.2 + 0.8 * (1 + Math.Cos(Math.PI * 0.99)) / 2, cosine.LearningRateFactor(109), 12);
        var linear = cosine with { Schedule = LearningRateSchedule.Linear, MinLearningRateRatio = 0 };
        Assert.Equal(0.75, linear.LearningRateFactor(35), 12); // p = 0.25
        var ratio = new TrainingSettings { Steps = 50, WarmupRatio = 0.1 };
        Assert.Equal(5, ratio.EffectiveWarmupSteps);
    }

    [Fact]
    public void Accumulating_k_micro_batches_gives_the_gradient_of_one_batch_of_k_times_the_pairs_under_the_nominal_set()
    {
        using var task = TaskCatalog.Create(TaskCatalog.Normalize(new TaskChoice("synthetic")), TaskContext.Cpu);
        var plugins = TestTrials.Plugins(new TestDpoLoss(), beta: 0.5);
        var pairs = Enumerable.Range(0, 12).ToArray();
        var one = Gradients(task, plugins, new TrainingSettings { BatchSize = 12 }, [pairs], out double oneLoss);
        var three = Gradients(task, plugins, new TrainingSettings { BatchSize = 4, GradientAccumulationSteps = 3 },
            [pairs[..4], pairs[4..8], pairs[8..]], out double threeLoss);
        Assert.Equal(oneLoss, threeLoss, 6);
        Assert.Equal(one.Count, three.Count);
        double scale = one.Max(g => g.abs().max().item<float>());
        Assert.True(scale > 0, "the gradient must not vanish, or the comparison proves nothing");
        for (int i = 0; i < one.Count; i++)
            Assert.True(one[i].allclose(three[i], rtol: 1e-4, atol: 1e-6 * scale), $"parameter {i}: gradients differ");
    }

    [Fact]
    public void Train_log_has_trl_metrics_and_the_uncertainty_sets_metrics_every_log_every_steps()
    {
        var settings = new TrainingSettings { Steps = 6, BatchSize = 4, GradientAccumulationSteps = 2, LogEvery = 3, EvalEvery = 6, LearningRate = 1e-3 };
        var result = TrialExecutor.Run(TestTrials.Trial(settings), TestTrials.Plugins(new TestDpoLoss(), set: new GradientPenaltySet()), TaskContext.Cpu, null, default);
        Assert.Equal(TrialStatus.Completed, result.Status);
        Assert.Equal([3, 6], result.TrainLog.Select(p => p.Step));
        foreach (var name in new[] { "loss", "grad_norm", "learning_rate", "num_tokens", "rewards/chosen", "rewards/rejected", "rewards/accuracies",
                     "rewards/margins", "logps/chosen", "logps/rejected", "loss/pair_mean", "robust/penalty" })
            Assert.True(result.TrainLog[0].Metrics.ContainsKey(name), $"missing train metric {name}");
        Assert.Equal(1e-3, result.TrainLog[0].Metrics["learning_rate"]);
        Assert.True(result.TrainLog[1].Metrics["num_tokens"] > result.TrainLog[0].Metrics["num_tokens"]);
        Assert.True(result.TrainLog[0].Metrics["grad_norm"] > 0);
    }

    [Fact]
    public void A_train_row_holds_each_metrics_mean_over_the_steps_since_the_previous_row_as_trl_logs_it()
    {
        // Expected values: the same trial logged at every step (same seed, same training; measuring changes nothing).
        // TRL: loss, rewards/*, logps/* (and here the plugins' metrics) are interval means; grad_norm and learning_rate
        // the logging step's (transformers' Trainer); num_tokens cumulative. The warm-up makes the rate differ per step.
        var everyStep = new TrainingSettings { Steps = 6, BatchSize = 4, LogEvery = 1, EvalEvery = 6, LearningRate = 1e-3, WarmupSteps = 6 };
        var plugins = TestTrials.Plugins(new TestDpoLoss(), set: new GradientPenaltySet());
        var perStep = TrialExecutor.Run(TestTrials.Trial(everyStep), plugins, TaskContext.Cpu, null, default).TrainLog;
        var rows = TrialExecutor.Run(TestTrials.Trial(everyStep with { LogEvery = 3 }), plugins, TaskContext.Cpu, null, default).TrainLog;

        Assert.Equal([1, 2, 3, 4, 5, 6], perStep.Select(p => p.Step));
        Assert.Equal([3, 6], rows.Select(p => p.Step));
        for (int row = 0; row < 2; row++)
        {
            var interval = perStep.Skip(3 * row).Take(3).ToList();
            foreach (var name in new[] { "loss", "rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins",
                         "logps/chosen", "logps/rejected", "loss/pair_mean", "robust/penalty" })
                Assert.Equal(interval.Average(p => p.Metrics[name]), rows[row].Metrics[name], 10);
            foreach (var name in new[] { "grad_norm", "learning_rate", "num_tokens" })
                Assert.Equal(interval[^1].Metrics[name], rows[row].Metrics[name], 10);
        }
        Assert.NotEqual(perStep[2].Metrics["loss"], rows[0].Metrics["loss"], 6); // or the mean proves nothing
        Assert.Equal(3e-3 / 6, rows[0].Metrics["learning_rate"], 15);
    }

    private static List<Tensor> Gradients(IPreferenceTask task, TrialPlugins plugins, TrainingSettings settings, int[][] batches, out double loss)
    {
        using var policy = task.Reference.DeepCopy().Unfreeze();
        using var trainer = new PreferenceTrainer(task, plugins, settings, TaskContext.Cpu.Device);
        policy.train();
        loss = trainer.AccumulateGradients(policy, batches, 0, measure: false).Loss;
        return policy.parameters().Select(p => p.grad!.detach().clone()).ToList();
    }
}
