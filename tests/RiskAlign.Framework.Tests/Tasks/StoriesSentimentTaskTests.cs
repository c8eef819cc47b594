using RiskAlign.Framework.Tests.Training;

namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>The stories-sentiment task on stories260K and the VADER/AFINN lexicons from ../shared/assets.</summary>
public sealed class StoriesSentimentTaskTests
{
    private static readonly Dictionary<string, string> Small = new()
    {
        ["train_pairs"] = "48", ["eval_pairs"] = "8", ["eval_samples"] = "16", ["prompt_length"] = "6", ["response_length"] = "12", ["seed"] = "5",
    };

    private static Dictionary<string, string> With(string key, string value) => new(Small) { [key] = value };

    [Fact]
    public void Prompts_are_sampled_story_openings_and_responses_have_the_asked_length_without_special_tokens()
    {
        using var task = TestTasks.Create(StoriesSentimentTask.TaskName, Small);

        Assert.Equal((48, 8), (task.TrainPairs.Count, task.EvalPairs.Count));
        Assert.All(task.TrainPairs.Concat(task.EvalPairs), pair =>
        {
            Assert.Equal(7, pair.Prompt.Length);
            Assert.Equal(1, pair.Prompt[0]); // llama2.c BOS opens every story
            Assert.Equal((12, 12), (pair.Chosen.Length, pair.Rejected.Length));
            Assert.DoesNotContain(pair.Prompt.Skip(1).Concat(pair.Chosen).Concat(pair.Rejected), id => id is 0 or 1 or 2);
        });
        Assert.True(task.TrainPairs.Select(p => string.Join(",", p.Prompt)).Distinct().Count() > 10, "openings should vary");
        Assert.Equal(("kl/true", "reward/true"), (task.DriftMetric, task.RewardMetric));
    }

    [Fact]
    public void With_a_steep_Bradley_Terry_scale_every_chosen_text_has_the_higher_VADER_sentiment()
    {
        using var task = TestTasks.Create(StoriesSentimentTask.TaskName, With("label_scale", "1000000"));
        var vader = VaderReward.FromAssets();

        Assert.All(task.TrainPairs, pair =>
            Assert.True(vader.Score(task.Text(pair.Prompt, pair.Chosen)) >= vader.Score(task.Text(pair.Prompt, pair.Rejected)),
                $"chosen '{task.Text(pair.Prompt, pair.Chosen)}' below rejected '{task.Text(pair.Prompt, pair.Rejected)}'"));
        Assert.Equal(1.0, task.BuildStatistics["labels/agreement"]);
        Assert.True(task.TrainPairs.Any(p => vader.Score(task.Text(p.Prompt, p.Chosen)) > vader.Score(task.Text(p.Prompt, p.Rejected))),
            "some pairs should differ in sentiment");
    }

    [Fact]
    public void The_reference_itself_has_zero_KL_and_its_reward_is_the_mean_sentiment_of_its_continuations()
    {
        using var task = TestTasks.Create(StoriesSentimentTask.TaskName, Small);
        using var policy = task.Reference.DeepCopy();

        var metrics = task.Evaluate(policy, default);
        var texts = task.SampleTexts(policy, 16);

        Assert.Equal(0.0, metrics["kl/true"], 5);
        var vader = VaderReward.FromAssets();
        Assert.Equal(texts.Average(vader.Score), metrics["reward/true"], 12);
        Assert.Equal(metrics["reward/true"], metrics["reward/vader"]);
        Assert.Equal(texts.Average(AfinnReward.FromAssets().Score), metrics["reward/afinn"], 12);
        Assert.Equal(metrics, task.Evaluate(policy, default)); // the same random numbers at every evaluation
    }

    [Fact]
    public void AFINN_can_be_the_reward()
    {
        using var task = TestTasks.Create(StoriesSentimentTask.TaskName, With("reward", "afinn"));
        using var policy = task.Reference.DeepCopy();
        var metrics = task.Evaluate(policy, default);
        Assert.Equal(metrics["reward/afinn"], metrics["reward/true"]);
    }

    [Fact]
    public void A_trial_trains_and_moves_the_policy_away_from_the_reference()
    {
        var trial = TestTrials.Trial(new TrainingSettings { Steps = 6, BatchSize = 8, LearningRate = 2e-3, EvalEvery = 6 }, Small) with
        {
            Task = TestTasks.Choice(StoriesSentimentTask.TaskName, Small),
        };

        var result = TrialExecutor.Run(trial, TestTrials.Plugins(new TestDpoLoss(), beta: 0.1), TaskContext.Cpu, null, default);

        Assert.True(result.Status == TrialStatus.Completed, result.Error);
        Assert.Equal(0.0, result.Evaluations[0].Metrics["kl/true"], 5);
        Assert.True(result.Drift > 0.01 && double.IsFinite(result.Drift), $"kl/true = {result.Drift}");
        Assert.InRange(result.Reward, -1.0, 1.0);
    }

    [Theory]
    [InlineData("reward", "bert", "expected one of vader, afinn")]
    [InlineData("rewards", "vader", "no setting 'rewards'; known settings: ")]
    [InlineData("label_scale", "0", "expected a real number > 0")]
    [InlineData("response_length", "1000", "expected an integer in [1, 256]")]
    public void Bad_settings_are_refused_naming_them(string key, string value, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TestTasks.Choice(StoriesSentimentTask.TaskName, With(key, value)));
        Assert.Contains(expected, error.Message);
        Assert.Contains("'stories-sentiment'", error.Message);
    }
}
