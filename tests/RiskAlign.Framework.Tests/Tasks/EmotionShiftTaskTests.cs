using RiskAlign.Framework.Tests.Training;

namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>The emotion-shift task on stories260K and the emotion dataset from ../shared/assets (small settings).</summary>
[Collection(TorchThreadsCollection.Name)]
public sealed class EmotionShiftTaskTests
{
    private static readonly Dictionary<string, string> Small = new()
    {
        ["train_pairs"] = "32", ["eval_pairs"] = "8", ["eval_samples"] = "16", ["response_length"] = "10", ["seed"] = "2",
        ["sft_steps"] = "15", ["sft_batch_size"] = "8", ["classifier_train_examples"] = "3000", ["classifier_epochs"] = "3",
        ["eval_alphas"] = "0, 0.1, 0.5, 1",
    };

    private static Dictionary<string, string> With(string key, string value) => new(Small) { [key] = value };

    [Fact]
    public void Prompts_are_the_openings_of_emotion_texts_and_the_build_reports_its_classifier_and_SFT()
    {
        using var task = TestTasks.Create(EmotionShiftTask.TaskName, Small);

        Assert.All(task.TrainPairs.Concat(task.EvalPairs), pair =>
        {
            Assert.Equal(5, pair.Prompt.Length); // BOS + 4 tokens, as in the WDPO paper
            Assert.Equal(1, pair.Prompt[0]);
            Assert.Equal((10, 10), (pair.Chosen.Length, pair.Rejected.Length));
        });
        // The dataset is lower-case tweets, most opening with "i ..."
        Assert.True(task.TrainPairs.Count(p => task.Text(p.Prompt, []).StartsWith("i ", StringComparison.Ordinal)) > 16,
            string.Join(" | ", task.TrainPairs.Take(5).Select(p => task.Text(p.Prompt, []))));
        Assert.InRange(task.BuildStatistics["classifier/test_accuracy"], 0.5, 1.0);
        Assert.True(task.BuildStatistics["sft/final_loss"] is > 0 and < 8, $"SFT loss {task.BuildStatistics["sft/final_loss"]}");
    }

    [Fact]
    public void Evaluation_scores_every_mix_and_the_training_mix_is_the_reward()
    {
        using var task = TestTasks.Create(EmotionShiftTask.TaskName, Small);
        using var policy = task.Reference.DeepCopy();

        var m = task.Evaluate(policy, default);

        Assert.Equal(0.0, m["kl/true"], 5);
        Assert.Equal(m["reward/alpha=0.10"], m["reward/true"], 12);
        Assert.Equal(m["emotion/fear"], m["reward/alpha=0.00"], 12);
        Assert.Equal(m["emotion/anger"], m["reward/alpha=1.00"], 12);
        Assert.Equal(0.5 * (m["emotion/anger"] + m["emotion/fear"]), m["reward/alpha=0.50"], 12);
        Assert.Equal(4, m.Keys.Count(k => k.StartsWith("reward/alpha=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Mixes_are_convex_or_geometric()
    {
        Assert.Equal(0.1 * 0.2 + 0.9 * 0.6, EmotionShiftTask.MixedReward(0.2, 0.6, 0.1, "convex"), 15);
        Assert.Equal(Math.Pow(0.2, 0.1) * Math.Pow(0.6, 0.9), EmotionShiftTask.MixedReward(0.2, 0.6, 0.1, "geometric"), 15);
        Assert.Equal("reward/alpha=0.10", EmotionShiftTask.ShiftMetric(0.1));
        Assert.Equal("reward/alpha=0.125", EmotionShiftTask.ShiftMetric(0.125));
    }

    [Fact]
    public void With_a_steep_Bradley_Terry_scale_labels_follow_the_training_mix()
    {
        using var task = TestTasks.Create(EmotionShiftTask.TaskName, With("label_scale", "1000000"));
        Assert.Equal(1.0, task.BuildStatistics["labels/agreement"]);
    }

    [Fact]
    public void A_gradient_penalty_trial_trains_through_the_Llama_model_with_double_backward()
    {
        var trial = TestTrials.Trial(new TrainingSettings { Steps = 3, BatchSize = 4, LearningRate = 1e-3, EvalEvery = 3 }, Small) with
        {
            Task = TestTasks.Choice(EmotionShiftTask.TaskName, Small),
        };
        var result = TrialExecutor.Run(trial, TestTrials.Plugins(new TestDpoLoss(), beta: 0.1, set: new GradientPenaltySet()), TaskContext.Cpu, null, default);

        Assert.True(result.Status == TrialStatus.Completed, result.Error);
        Assert.True(result.Drift > 0 && double.IsFinite(result.Drift), $"kl/true = {result.Drift}");
        Assert.Contains("reward/alpha=1.00", result.Evaluations[^1].Metrics.Keys);
    }

    [Theory]
    [InlineData("alpha", "1.5", "expected a real number in [0, 1]")]
    [InlineData("eval_alphas", "0, x", "expected a list of numbers in [0, 1]")]
    [InlineData("mix", "linear", "expected one of convex, geometric")]
    [InlineData("sft_step", "3", "no setting 'sft_step'")]
    public void Bad_settings_are_refused_naming_them(string key, string value, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TestTasks.Choice(EmotionShiftTask.TaskName, With(key, value)));
        Assert.Contains(expected, error.Message);
    }
}
