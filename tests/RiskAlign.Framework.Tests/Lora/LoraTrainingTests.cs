using RiskAlign.Framework.Models.Lora;
using RiskAlign.Framework.Tests.Training;

namespace RiskAlign.Framework.Tests.Lora;

/// <summary>LoRA on the synthetic task's tiny transformer: what a first step does, what it costs, and that the reference
/// stays the base with the adapters off.</summary>
public sealed class LoraTrainingTests
{
    private static readonly TaskChoice Synthetic = TaskCatalog.Normalize(new TaskChoice("synthetic"));

    private static string[] AllLinearLeaves(CausalLanguageModel model) =>
        LoraModel.LinearLayers(model).Select(l => l.Name[(l.Name.LastIndexOf('.') + 1)..]).Distinct().ToArray();

    [Fact]
    public void Full_rank_adapters_merged_after_one_step_equal_a_full_fine_tune_of_the_same_weights()
    {
        // Where the expectation comes from (algebra, not a stored number): with A = I/s (r ≥ every layer's input width,
        // s = α/r) and B = 0, the gradient of B is s·G·Aᵀ = G padded with zero columns (G = ∂L/∂W) and A's is 0, so AdamW's
        // first step moves B by exactly the step a full fine-tune gives W, and s·B·A adds that step to W. The full
        // fine-tune trains the same weights (the linear layers' weights; embeddings, norms and biases frozen).
        using var task = TaskCatalog.Create(Synthetic, TaskContext.Cpu);
        var plugins = TestTrials.Plugins(new TestDpoLoss(), beta: 0.5);
        var settings = new TrainingSettings { Steps = 1, BatchSize = 8, LearningRate = 1e-3, MaxGradNorm = 0, EvalEvery = 1 };
        var linears = LoraModel.LinearLayers(task.Reference);
        int rank = (int)linears.Max(l => l.Layer.weight!.shape[1]);
        double alpha = 2.0 * rank; // s = 2

        using var full = task.Reference.DeepCopy().Unfreeze();
        var trained = linears.Select(l => l.Name + ".weight").ToHashSet();
        foreach (var (name, parameter) in full.named_parameters()) parameter.requires_grad = trained.Contains(name);
        using (var trainer = new PreferenceTrainer(task, plugins, settings, CPU))
            Assert.Equal(TrialStatus.Completed, trainer.Train(full, null, default).Status);

        using var lora = LoraModel.Wrap(task.Reference, new LoraSpec(rank, alpha, 0, AllLinearLeaves(task.Reference)), seed: 3);
        lora.Unfreeze();
        using (no_grad())
            foreach (var adapter in lora.Adapters)
                adapter.A.copy_(eye(adapter.A.shape[0], adapter.A.shape[1]) / 2.0);
        using (var trainer = new PreferenceTrainer(task, plugins, settings with { }, CPU))
            Assert.Equal(TrialStatus.Completed, trainer.Train(lora, null, default).Status);
        using var merged = lora.Merge();

        var fullWeights = full.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var mergedWeights = merged.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var reference = task.Reference.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        foreach (var name in fullWeights.Keys)
        {
            double moved = (fullWeights[name] - reference[name]).abs().max().item<float>();
            if (trained.Contains(name)) Assert.True(moved > 1e-4, $"{name}: the full fine-tune did not move it, so the comparison proves nothing");
            double gap = (mergedWeights[name] - fullWeights[name]).abs().max().item<float>();
            Assert.True(gap < 1e-6, $"{name}: merged LoRA differs from the full fine-tune by {gap} (the step was {moved})");
        }
    }

    [Fact]
    public void The_reference_is_the_base_with_adapters_off_and_stays_untouched_by_training()
    {
        using var task = TaskCatalog.Create(Synthetic, TaskContext.Cpu);
        var ids = tensor(new long[] { 1, 5, 7, 2, 9, 4 }).view(1, 6);
        using var before = task.Reference.Forward(ids).detach().clone();
        using var policy = TrialExecutor.CreatePolicy(task.Reference, new TrainingSettings { Lora = new LoraSettings { Rank = 4, TargetModules = ["qkv", "fc2"] } });
        Assert.IsAssignableFrom<LoraModel>(policy);
        // B = 0: the fresh policy is the reference.
        Assert.True(policy.Forward(ids).allclose(before, rtol: 0, atol: 1e-6));
        using (var trainer = new PreferenceTrainer(task, TestTrials.Plugins(new TestDpoLoss(), beta: 0.5),
                   new TrainingSettings { Steps = 5, BatchSize = 8, LearningRate = 1e-2, EvalEvery = 5 }, CPU))
            Assert.Equal(TrialStatus.Completed, trainer.Train(policy, null, default).Status);
        using var after = task.Reference.Forward(ids);
        Assert.True(after.allclose(before, rtol: 0, atol: 0), "training the adapters changed the reference's logits");
        double moved = (policy.Forward(ids) - before).abs().max().item<float>();
        Assert.True(moved > 1e-4, $"the policy did not move ({moved})");
        Assert.All(task.Reference.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(policy.parameters(), p => Assert.True(p.requires_grad)); // the adapters (A and B each), and only them
        Assert.Equal(2 * LoraModel.LinearLayers(task.Reference).Count(l => l.Name.EndsWith("qkv") || l.Name.EndsWith("fc2")), policy.parameters().Count());
    }

    [Fact]
    public void Parameter_and_optimizer_bytes_drop_with_lora_and_are_what_the_shapes_give()
    {
        using var task = TaskCatalog.Create(Synthetic, TaskContext.Cpu);
        var settings = new TrainingSettings { Steps = 2, BatchSize = 4, EvalEvery = 2 };
        var full = TrialExecutor.Run(TestTrials.Trial(settings), TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);
        var lora = TrialExecutor.Run(TestTrials.Trial(settings with { Lora = new LoraSettings { Rank = 2, TargetModules = ["qkv", "proj"] } }),
            TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);
        Assert.Equal(TrialStatus.Completed, full.Status);
        Assert.Equal(TrialStatus.Completed, lora.Status);
        // Expected from the shapes: every float32 parameter of the model (full), r·(in + out) per adapted layer (LoRA); AdamW two moments.
        long allBytes = task.Reference.parameters().Sum(p => p.numel()) * 4;
        long adapterBytes = LoraModel.LinearLayers(task.Reference).Where(l => l.Name.EndsWith(".qkv") || l.Name.EndsWith(".proj"))
            .Sum(l => 2 * (l.Layer.weight!.shape[0] + l.Layer.weight!.shape[1])) * 4;
        Assert.Equal(allBytes, full.TrainableParameterBytes);
        Assert.Equal(2 * allBytes, full.OptimizerStateBytes);
        Assert.Equal(adapterBytes, lora.TrainableParameterBytes);
        Assert.Equal(2 * adapterBytes, lora.OptimizerStateBytes);
        Assert.True(lora.TrainableParameterBytes * 5 < full.TrainableParameterBytes, $"{lora.TrainableParameterBytes} vs {full.TrainableParameterBytes}");
    }

    [Fact]
    public void A_gradient_penalty_on_the_input_embeddings_trains_the_adapters()
    {
        // WDPO differentiates the loss w.r.t. the input embeddings; with LoRA the embedding table is frozen, so the policy
        // hands out embeddings that are a leaf requiring grad, and the penalty's double backward reaches the adapters.
        using var task = TaskCatalog.Create(Synthetic, TaskContext.Cpu);
        var plugins = TestTrials.Plugins(new TestDpoLoss(), beta: 0.5, set: new GradientPenaltySet());
        using var policy = (LoraModel)TrialExecutor.CreatePolicy(task.Reference, new TrainingSettings { Lora = new LoraSettings { Rank = 4, TargetModules = ["qkv", "fc1", "fc2"] } });
        using (no_grad())
            foreach (var adapter in policy.Adapters) adapter.B.normal_(0, 0.05); // B = 0 would leave A without gradient
        using var trainer = new PreferenceTrainer(task, plugins, new TrainingSettings { BatchSize = 8 }, CPU);
        policy.train();
        var step = trainer.AccumulateGradients(policy, [Enumerable.Range(0, 8).ToArray()], 0, measure: true);
        Assert.True(step.Metrics!["robust/penalty"] > 0, "no penalty: the embeddings' gradient was not computed");
        foreach (var adapter in policy.Adapters)
        {
            Assert.NotNull(adapter.A.grad);
            Assert.True(adapter.A.grad!.isfinite().all().item<bool>());
            Assert.True(adapter.A.grad!.abs().max().item<float>() > 0);
        }
        var run = TrialExecutor.Run(TestTrials.Trial(new TrainingSettings { Steps = 3, BatchSize = 4, EvalEvery = 3, Lora = new LoraSettings { Rank = 4, TargetModules = ["qkv"] } }),
            plugins, TaskContext.Cpu, null, default);
        Assert.Equal(TrialStatus.Completed, run.Status);
    }

    [Fact]
    public void The_shipped_wasserstein_set_WDPO_trains_a_lora_policy()
    {
        var catalog = PluginCatalog.LoadDefault();
        var trial = TestTrials.Trial(new TrainingSettings { Steps = 3, BatchSize = 4, EvalEvery = 3, LogEvery = 3, Lora = new LoraSettings { Rank = 4, TargetModules = ["qkv", "fc1"] } }) with
        {
            Loss = new PluginChoice("dpo", new Dictionary<string, ParameterValue>()),
            UncertaintySet = new PluginChoice("wasserstein", new Dictionary<string, ParameterValue>()),
        };
        var result = TrialExecutor.Run(trial, catalog.Resolve(trial), TaskContext.Cpu, null, default);
        Assert.True(result.Status == TrialStatus.Completed, result.Error);
        Assert.True(result.TrainLog[^1].Metrics["robust/penalty"] > 0, "WDPO's penalty was not computed through the LoRA policy");
    }

    [Fact]
    public void A_target_that_matches_no_linear_layer_is_refused_with_the_layers_there_are()
    {
        using var task = TaskCatalog.Create(Synthetic, TaskContext.Cpu);
        var error = Assert.Throws<ArgumentException>(() => LoraModel.Wrap(task.Reference, new LoraSpec(4, 8, 0, ["qkv", "q_proj"]), 0));
        Assert.Contains("'q_proj' matches no linear layer", error.Message);
        foreach (var name in new[] { "qkv", "proj", "fc1", "fc2", "lm_head" }) Assert.Contains(name, error.Message);
        var trial = TrialExecutor.Run(TestTrials.Trial(new TrainingSettings { Steps = 1, Lora = new LoraSettings { TargetModules = ["wq"] } }),
            TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);
        Assert.Equal(TrialStatus.Failed, trial.Status);
        Assert.Contains("'wq' matches no linear layer", trial.Error);
    }
}
