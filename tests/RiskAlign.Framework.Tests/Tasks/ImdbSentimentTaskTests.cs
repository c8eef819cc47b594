using RiskAlign.Framework.Models.Loading;
using RiskAlign.Framework.Tests.Training;

namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>The imdb-sentiment task on the IMDb reviews and GPT-2 BPE from ../shared/assets, with a tiny GPT-2 reference
/// trained from random init (a few SFT steps: the shape of the build, not the quality of the model, is under test).</summary>
[Collection(TorchThreadsCollection.Name)]
public sealed class ImdbSentimentTaskTests
{
    private const int EndOfText = 50256; // GPT-2's <|endoftext|>

    private static readonly Dictionary<string, string> Small = new()
    {
        ["width"] = "16", ["layers"] = "1", ["heads"] = "2", ["context"] = "24", ["sft_steps"] = "4", ["sft_batch_size"] = "4",
        ["sft_reviews"] = "200", ["train_pairs"] = "24", ["eval_pairs"] = "8", ["eval_samples"] = "12", ["response_length"] = "8",
        ["classifier_train_examples"] = "1000", ["classifier_test_examples"] = "200", ["classifier_epochs"] = "1", ["seed"] = "3",
    };

    private static Dictionary<string, string> With(params (string Key, string Value)[] changes)
    {
        var settings = new Dictionary<string, string>(Small);
        foreach (var (key, value) in changes) settings[key] = value;
        return settings;
    }

    private static string[] Keys(IEnumerable<RiskAlign.Framework.Data.PreferencePair> pairs) =>
        pairs.Select(p => $"{string.Join(",", p.Prompt)}|{string.Join(",", p.Chosen)}|{string.Join(",", p.Rejected)}").ToArray();

    [Fact]
    public void Prompts_are_review_openings_of_two_to_eight_tokens_and_responses_have_the_asked_length()
    {
        using var task = TestTasks.Create(ImdbSentimentTask.TaskName, Small);

        Assert.Equal((24, 8), (task.TrainPairs.Count, task.EvalPairs.Count));
        Assert.All(task.TrainPairs.Concat(task.EvalPairs), pair =>
        {
            Assert.InRange(pair.Prompt.Length, 1 + 2, 1 + 8);
            Assert.Equal(EndOfText, pair.Prompt[0]);
            Assert.Equal((8, 8), (pair.Chosen.Length, pair.Rejected.Length));
            Assert.DoesNotContain(EndOfText, pair.Prompt.Skip(1).Concat(pair.Chosen).Concat(pair.Rejected));
        });
        Assert.True(task.TrainPairs.Select(p => p.Prompt.Length).Distinct().Count() >= 3, "prompt lengths should vary");
        Assert.Equal(("kl/true", "reward/true"), (task.DriftMetric, task.RewardMetric));
        // 16·50257 tied embedding + 24·16 positions + one block (12·16² + 13·16) + final LayerNorm (2·16): GPT-2's count.
        Assert.Equal(16 * 50257 + 24 * 16 + 12 * 16 * 16 + 13 * 16 + 2 * 16, task.BuildStatistics["reference/parameters"]);
        Assert.InRange(task.BuildStatistics["classifier/test_accuracy"], 0.55, 1.0);
        Assert.True(task.BuildStatistics["sft/final_loss"] is > 0 and < 11.5, $"SFT loss {task.BuildStatistics["sft/final_loss"]}");
    }

    [Fact]
    public void Prompt_texts_are_the_first_words_of_IMDb_reviews()
    {
        using var task = TestTasks.Create(ImdbSentimentTask.TaskName, Small);
        var openings = RiskAlign.Framework.Data.ImdbReader.Train().Read().Select(r => ImdbSentimentTask.Clean(r.Text)).ToHashSet();
        foreach (var pair in task.TrainPairs.Take(5))
        {
            var prompt = task.Text(pair.Prompt, []);
            Assert.Contains(openings, review => review.StartsWith(prompt, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void With_a_steep_Bradley_Terry_scale_the_labels_always_agree_with_the_classifier()
    {
        using var task = TestTasks.Create(ImdbSentimentTask.TaskName, With(("label_scale", "1000000")));
        Assert.Equal(1.0, task.BuildStatistics["labels/agreement"]);
        Assert.InRange(task.BuildStatistics["reference/reward_of_pairs"], 0.0, 1.0); // a mean p(positive)
    }

    [Fact]
    public void The_reference_itself_has_zero_KL_and_evaluation_draws_the_same_numbers_every_time()
    {
        using var task = TestTasks.Create(ImdbSentimentTask.TaskName, Small);
        using var policy = task.Reference.DeepCopy();

        var metrics = task.Evaluate(policy, default);

        Assert.Equal(0.0, metrics["kl/true"], 5);
        Assert.InRange(metrics["reward/true"], 0.0, 1.0);
        Assert.Equal(metrics, task.Evaluate(policy, default));
    }

    [Fact]
    public void A_saved_reference_named_as_model_rebuilds_the_same_pairs()
    {
        var folder = Path.Combine(Path.GetTempPath(), "riskalign-imdb-ref-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var built = TestTasks.Create(ImdbSentimentTask.TaskName, With(("save_reference", folder)));
            Assert.True(File.Exists(Path.Combine(folder, "config.json")) && File.Exists(Path.Combine(folder, "vocab.json")));

            using var reused = TestTasks.Create(ImdbSentimentTask.TaskName,
                With(("model", folder), ("tokenizer", folder), ("sft_steps", "0")));

            Assert.Equal(Keys(built.TrainPairs), Keys(reused.TrainPairs));
            Assert.Equal(Keys(built.EvalPairs), Keys(reused.EvalPairs));
            using var loaded = ModelLoader.Load(folder, TaskContext.Cpu.Device);
            using var ids = tensor(new long[] { EndOfText, 40, 1842, 428, 3807 }, new long[] { 1, 5 });
            Assert.True(built.Reference.Forward(ids).allclose(loaded.Forward(ids), rtol: 1e-5, atol: 1e-5), "saved weights differ");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_trial_trains_and_records_the_papers_curves()
    {
        var trial = TestTrials.Trial(new TrainingSettings { Steps = 4, BatchSize = 8, LearningRate = 5e-3, EvalEvery = 2 }, Small) with
        {
            Task = TestTasks.Choice(ImdbSentimentTask.TaskName, Small),
        };

        var result = TrialExecutor.Run(trial, TestTrials.Plugins(new TestDpoLoss(), beta: 0.1), TaskContext.Cpu, null, default);

        Assert.True(result.Status == TrialStatus.Completed, result.Error);
        Assert.Equal(0.0, result.Evaluations[0].Metrics["kl/true"], 5);
        Assert.True(result.Drift > 0 && double.IsFinite(result.Drift), $"kl/true = {result.Drift}");
        var last = result.Evaluations[^1].Metrics;
        foreach (var metric in new[] { "kl/seq_chosen", "kl/seq_rejected", "rewards/accuracies", "reward/true" })
            Assert.True(last.ContainsKey(metric) && double.IsFinite(last[metric]), $"{metric} missing or not finite");
    }

    [Theory]
    [InlineData("widht", "64", "no setting 'widht'; known settings: ")]
    [InlineData("heads", "3", "setting 'heads': expected a divisor of width 16")]
    [InlineData("prompt_max_length", "1", "setting 'prompt_max_length': expected at least prompt_min_length 2")]
    [InlineData("context", "12", "setting 'context': expected at least 1 + prompt_max_length + response_length = 17")]
    [InlineData("label_scale", "0", "expected a real number > 0")]
    [InlineData("model", "", "setting 'model': expected a non-empty string")]
    public void Bad_settings_are_refused_naming_them(string key, string value, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TestTasks.Choice(ImdbSentimentTask.TaskName, With((key, value))));
        Assert.Contains(expected, error.Message);
        Assert.Contains("'imdb-sentiment'", error.Message);
    }

    [Fact]
    public void A_model_that_does_not_exist_is_refused_naming_the_setting()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            TestTasks.Create(ImdbSentimentTask.TaskName, With(("model", "/nonexistent/imdb-reference"))));
        Assert.Contains("setting 'model'", error.Message);
    }
}
