using RiskAlign.Framework.Tests.RealModels;
using RiskAlign.Framework.Tests.Training;

namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>The hh-rlhf task on the real HH-RLHF test pairs and stories260K from ../shared/assets.</summary>
public sealed class HhRlhfTaskTests
{
    private static readonly Dictionary<string, string> Small = new()
    {
        ["train_pairs"] = "16", ["eval_pairs"] = "8", ["max_length"] = "48", ["max_prompt_length"] = "32", ["seed"] = "3",
    };

    [Fact]
    public void Pairs_are_drawn_by_seed_tokenised_and_truncated_keeping_BOS_and_the_response()
    {
        using var task = TestTasks.Create(HhRlhfTask.TaskName, Small);

        Assert.Equal(16, task.TrainPairs.Count);
        Assert.Equal(8, task.EvalPairs.Count);
        Assert.All(task.TrainPairs.Concat(task.EvalPairs), p =>
        {
            Assert.Equal(1, p.Prompt[0]); // llama2.c BOS
            Assert.True(p.Prompt.Length <= 32, $"prompt of {p.Prompt.Length}");
            Assert.True(p.Prompt.Length + Math.Max(p.Chosen.Length, p.Rejected.Length) <= 48);
            Assert.NotEmpty(p.Chosen);
            Assert.NotEmpty(p.Rejected);
        });
        Assert.Equal(("kl/seq_chosen", "rewards/accuracies"), (task.DriftMetric, task.RewardMetric));
        // Another seed draws other pairs.
        using var other = TestTasks.Create(HhRlhfTask.TaskName, new Dictionary<string, string>(Small) { ["seed"] = "4" });
        Assert.NotEqual(task.TrainPairs[0].Chosen, other.TrainPairs[0].Chosen);
    }

    [Fact]
    public void A_trial_trains_on_human_pairs_and_reports_accuracy_and_sequential_KL()
    {
        var trial = TestTrials.Trial(new TrainingSettings { Steps = 4, BatchSize = 8, LearningRate = 1e-3, EvalEvery = 4 }, Small) with
        {
            Task = TestTasks.Choice(HhRlhfTask.TaskName, Small),
        };

        var result = TrialExecutor.Run(trial, TestTrials.Plugins(new TestDpoLoss(), beta: 0.1), TaskContext.Cpu, null, default);

        Assert.True(result.Status == TrialStatus.Completed, result.Error);
        Assert.InRange(result.Reward, 0.0, 1.0);
        Assert.True(result.Drift > 0 && double.IsFinite(result.Drift), $"kl/seq_chosen = {result.Drift}");
    }

    [Theory]
    [InlineData("max_prompt_length", "64", "less than max_length")]
    [InlineData("train_pair", "5", "no setting 'train_pair'")]
    [InlineData("eval_pairs", "0", "expected an integer >= 1")]
    public void Bad_settings_are_refused_naming_them(string key, string value, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TestTasks.Choice(HhRlhfTask.TaskName, new Dictionary<string, string>(Small) { [key] = value }));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Preference_pairs_reads_the_users_own_JSONL_and_ShareGPT_files()
    {
        var file = Path.Combine(Path.GetTempPath(), $"riskalign-own-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(file, Enumerable.Range(0, 12).Select(i =>
            $"{{\"prompt\": \"Once upon a time there was a cat number {i}.\", \"chosen\": \" The cat was happy.\", \"rejected\": \" The cat was sad {i}.\"}}"));
        try
        {
            var settings = new Dictionary<string, string> { ["data"] = file, ["format"] = "jsonl", ["train_pairs"] = "8", ["eval_pairs"] = "4" };
            using var task = TaskCatalog.Create(TestTasks.Choice(HhRlhfTask.OwnDataTaskName, settings), TaskContext.Cpu);

            Assert.Equal("preference-pairs", task.Name);
            Assert.Equal((8, 4), (task.TrainPairs.Count, task.EvalPairs.Count));
            var tokenizer = Stories260K.Shared.Tokenizer;
            Assert.Equal("The cat was happy.", tokenizer.Decode(task.TrainPairs[0].Chosen).Trim());
        }
        finally
        {
            File.Delete(file);
        }

        using var demo = TaskCatalog.Create(TestTasks.Choice(HhRlhfTask.OwnDataTaskName, new Dictionary<string, string>
        {
            ["data"] = "preference-demo/dpo_en_demo.json", ["format"] = "sharegpt", ["train_pairs"] = "16", ["eval_pairs"] = "4",
        }), TaskContext.Cpu);
        Assert.Equal(16, demo.TrainPairs.Count);
    }

    [Theory]
    [InlineData("format", "csv", "expected one of hh-rlhf, sharegpt, jsonl")]
    [InlineData("format", "jsonl", "needs a 'data' file")]
    public void Own_data_settings_are_checked(string key, string value, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TestTasks.Choice(HhRlhfTask.OwnDataTaskName, new Dictionary<string, string> { [key] = value }));
        Assert.Contains(expected, error.Message);
        Assert.Contains("'preference-pairs'", error.Message);
    }

    [Fact]
    public void A_missing_data_file_is_named()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TaskCatalog.Create(TestTasks.Choice(HhRlhfTask.OwnDataTaskName,
            new Dictionary<string, string> { ["data"] = "/nonexistent/pairs.jsonl", ["format"] = "jsonl" }), TaskContext.Cpu));
        Assert.Contains("setting 'data': '/nonexistent/pairs.jsonl' does not exist", error.Message);
    }
}
