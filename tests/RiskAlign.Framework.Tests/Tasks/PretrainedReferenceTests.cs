using RiskAlign.Framework.Tests.Training;

namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>The synthetic task with stories260K (the real pretrained Llama of ../shared/assets) as its reference.</summary>
public sealed class PretrainedReferenceTests
{
    private static readonly Dictionary<string, string> Stories = new()
    {
        ["model"] = "models/stories260k/stories260K.bin",
        ["train_pairs"] = "32", ["eval_pairs"] = "16", ["eval_samples"] = "32",
        ["prompt_length"] = "4", ["response_length"] = "8",
    };

    [Fact]
    public void With_a_model_setting_the_reference_is_that_pretrained_model_and_its_vocabulary_is_used()
    {
        using var task = TestTasks.Create(SyntheticPreferenceTask.TaskName, Stories);

        Assert.IsType<LlamaModel>(task.Reference);
        Assert.Equal(512, task.Reference.VocabularySize); // stories260K's vocabulary, not the default 16
        Assert.Equal(32, task.TrainPairs.Count);
        // Prompts open with llama2.c's BOS (1); prompts and responses use content tokens only (id ≥ 3).
        Assert.All(task.TrainPairs, p =>
        {
            Assert.Equal(1, p.Prompt[0]);
            Assert.All(p.Prompt.Skip(1).Concat(p.Chosen).Concat(p.Rejected), t => Assert.InRange(t, 3, 511));
        });
        // The reference has zero drift from itself.
        Assert.Equal(0.0, task.Evaluate(task.Reference, default)["kl/true"], 6);
    }

    [Fact]
    public void A_trial_trains_stories260K_against_its_frozen_copy()
    {
        var trial = TestTrials.Trial(new TrainingSettings { Steps = 6, BatchSize = 8, LearningRate = 1e-3, EvalEvery = 6 }, Stories);

        var result = TrialExecutor.Run(trial, TestTrials.Plugins(new TestDpoLoss(), beta: 0.1), TaskContext.Cpu, null, default);

        Assert.True(result.Status == TrialStatus.Completed, result.Error);
        Assert.True(result.Drift > 0 && double.IsFinite(result.Drift), $"kl/true = {result.Drift}");
        Assert.True(double.IsFinite(result.Reward));
    }

    [Fact]
    public void A_missing_model_is_named_with_the_setting()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            TestTasks.Create(SyntheticPreferenceTask.TaskName, new Dictionary<string, string>(Stories) { ["model"] = "models/none/missing.bin" }));
        Assert.Contains("'model'", error.Message);
        Assert.Contains("missing.bin", error.Message);
    }
}
