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

    // A GPT-2-shaped reference trained from random init: tiny, a few SFT steps (the shape of the build is under test,
    // not the quality of the model), a small classifier.
    private static readonly Dictionary<string, string> Scratch = new()
    {
        ["width"] = "16", ["layers"] = "2", ["heads"] = "2", ["sft_steps"] = "3", ["sft_batch_size"] = "4", ["sft_max_length"] = "16",
        ["train_pairs"] = "8", ["eval_pairs"] = "4", ["eval_samples"] = "4", ["response_length"] = "6", ["seed"] = "5",
        ["classifier_train_examples"] = "500", ["classifier_epochs"] = "1", ["eval_alphas"] = "0, 1",
    };

    private static string[] Keys(IEnumerable<RiskAlign.Framework.Data.PreferencePair> pairs) =>
        pairs.Select(p => $"{string.Join(",", p.Prompt)}|{string.Join(",", p.Chosen)}|{string.Join(",", p.Rejected)}").ToArray();

    [Fact]
    public void With_width_the_reference_is_a_GPT2_of_that_shape_trained_from_scratch_and_the_build_is_deterministic()
    {
        var choice = TestTasks.Choice(EmotionShiftTask.TaskName, Scratch);
        using var first = TaskCatalog.CreateUncached(choice, TaskContext.Cpu);
        using var second = TaskCatalog.CreateUncached(choice, TaskContext.Cpu);

        var gpt2 = Assert.IsType<Gpt2Model>(first.Reference);
        // tok512's vocabulary; context unset = max(1 + prompt_length 4 + response_length 6, sft_max_length 16) = 16.
        Assert.Equal(new Gpt2Config(16, 2, 2, 512, 16, 64), gpt2.Config);
        // GPT-2 with tied classifier: wte V·W + wpe C·W + per layer 12·W² + 13·W (LayerNorms, c_attn, c_proj, MLP) + ln_f 2·W.
        const int W = 16, V = 512, C = 16, L = 2;
        long expected = V * W + C * W + L * (12 * W * W + 13 * W) + 2 * W;
        Assert.Equal(expected, first.Reference.parameters().Sum(p => p.numel()));
        Assert.Equal(expected, first.BuildStatistics["reference/parameters"]);
        Assert.True(first.BuildStatistics["sft/final_loss"] is > 0 and < 8, $"SFT loss {first.BuildStatistics["sft/final_loss"]}");
        Assert.All(first.TrainPairs, pair => Assert.Equal((5, 6, 6), (pair.Prompt.Length, pair.Chosen.Length, pair.Rejected.Length)));

        // Same settings and seed: the same reference weights and the same sampled pairs.
        Assert.Equal(Keys(first.TrainPairs), Keys(second.TrainPairs));
        Assert.Equal(Keys(first.EvalPairs), Keys(second.EvalPairs));
        foreach (var (a, b) in first.Reference.parameters().Zip(second.Reference.parameters()))
            Assert.True(a.allclose(b, rtol: 0, atol: 0), "the references differ between two builds of one seed");
    }

    [Fact]
    public void A_reference_trained_from_scratch_can_be_saved_and_named_as_model()
    {
        var folder = Path.Combine(Path.GetTempPath(), "riskalign-emotion-ref-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var built = TaskCatalog.CreateUncached(TestTasks.Choice(EmotionShiftTask.TaskName, new Dictionary<string, string>(Scratch) { ["save_reference"] = folder }), TaskContext.Cpu);
            using var loaded = ModelLoader.Load(folder, TaskContext.Cpu.Device);
            using var ids = tensor(new long[] { 1, 40, 100, 7 }, new long[] { 1, 4 });
            Assert.True(built.Reference.Forward(ids).allclose(loaded.Forward(ids), rtol: 1e-5, atol: 1e-5), "saved weights differ");

            var reuse = new Dictionary<string, string>(Scratch) { ["model"] = folder, ["sft_steps"] = "0" };
            foreach (var key in new[] { "width", "layers", "heads" }) reuse.Remove(key);
            using var reused = TaskCatalog.CreateUncached(TestTasks.Choice(EmotionShiftTask.TaskName, reuse), TaskContext.Cpu);
            Assert.Equal(Keys(built.TrainPairs), Keys(reused.TrainPairs));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_shipped_large_spec_trains_a_reference_several_times_larger_than_stories260K()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "plugins-config/sweeps/emotion-shift-large.json"))) folder = folder.Parent;
        Assert.NotNull(folder);
        var spec = SweepSpec.Load(Path.Combine(folder.FullName, "plugins-config/sweeps/emotion-shift-large.json"));

        var settings = Assert.IsType<EmotionShiftSettings>(TaskCatalog.Settings(TaskCatalog.Normalize(spec.Task)));

        var shape = settings.OwnReference;
        Assert.NotNull(shape);
        long w = shape.Width, parameters = 512 * w + shape.Context * w + shape.Layers * (12 * w * w + 13 * w) + 2 * w; // as counted above
        Assert.InRange(parameters, 3 * 264_000, 2_000_000); // stories260K: 264k parameters
    }

    [Theory]
    [InlineData("model", "models/other.bin", "setting 'model': expected no model when 'width' is set")]
    [InlineData("heads", "3", "setting 'heads': expected a divisor of width 16")]
    [InlineData("context", "12", "setting 'context': expected at least max(1 + prompt_length + response_length, sft_max_length) = 16")]
    public void A_reference_from_scratch_refuses_settings_that_do_not_fit_it(string key, string value, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            TestTasks.Choice(EmotionShiftTask.TaskName, new Dictionary<string, string>(Scratch) { [key] = value }));
        Assert.Contains(expected, error.Message);
        Assert.Contains("'emotion-shift'", error.Message);
    }

    [Fact]
    public void Layers_without_width_are_refused()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TestTasks.Choice(EmotionShiftTask.TaskName, With("layers", "4")));
        Assert.Contains("setting 'layers': expected 'width' set too", error.Message);
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
