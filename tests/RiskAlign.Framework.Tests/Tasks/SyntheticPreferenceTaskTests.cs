namespace RiskAlign.Framework.Tests.Tasks;

public sealed class SyntheticPreferenceTaskTests
{
    private static readonly Dictionary<string, string> Small = new()
    {
        ["sft_steps"] = "20", ["train_pairs"] = "24", ["eval_pairs"] = "8", ["eval_samples"] = "16", ["d_model"] = "16",
    };

    [Fact]
    public void Same_settings_build_the_same_pairs_and_reference_and_another_seed_does_not()
    {
        using var a = TaskCatalog.CreateUncached(TestTasks.Choice("synthetic", Small), TaskContext.Cpu);
        using var b = TaskCatalog.CreateUncached(TestTasks.Choice("synthetic", Small), TaskContext.Cpu);
        using var c = TaskCatalog.CreateUncached(TestTasks.Choice("synthetic", new Dictionary<string, string>(Small) { ["seed"] = "2" }), TaskContext.Cpu);
        Assert.Equal(Flatten(a.TrainPairs), Flatten(b.TrainPairs));
        Assert.NotEqual(Flatten(a.TrainPairs), Flatten(c.TrainPairs));
        Assert.Equal(a.Evaluate(a.Reference, default), b.Evaluate(b.Reference, default));
        using var _ = no_grad();
        using var ids = tensor(new long[] { 0, 3, 4, 5, 6, 7 }, [1, 6]);
        using var la = a.Reference.Forward(ids);
        using var lb = b.Reference.Forward(ids);
        Assert.True(la.allclose(lb, rtol: 0, atol: 0));
    }

    [Fact]
    public void Bradley_Terry_labels_prefer_the_higher_true_reward_more_often_than_not()
    {
        using var task = TaskCatalog.Create(TestTasks.Choice("synthetic"), TaskContext.Cpu);
        var trueReward = task.World.TrueReward!;
        var pairs = task.TrainPairs;
        int agree = pairs.Count(p => trueReward(p.Prompt, p.Chosen) > trueReward(p.Prompt, p.Rejected));
        // Labels are drawn with P(y1 ≻ y2) = σ(r1 − r2); with reward differences of order 1–2 the agreement is
        // E[σ(|Δ|)] ≈ 0.7–0.8; 0.6 leaves room for sampling noise on 512 pairs (binomial sd ≈ 0.02).
        Assert.True(agree > 0.6 * pairs.Count, $"labels agree with the true reward on {agree} of {pairs.Count} pairs");
        Assert.All(pairs, p => Assert.Equal(task.PadTokenId, p.Prompt[0]));
        Assert.All(pairs, p => Assert.DoesNotContain(0, p.Chosen.Concat(p.Rejected)));
    }

    [Fact]
    public void The_reference_is_a_learned_non_uniform_model_and_has_zero_drift_from_itself()
    {
        using var task = TaskCatalog.Create(TestTasks.Choice("synthetic"), TaskContext.Cpu);
        var metrics = task.Evaluate(task.Reference, default);
        Assert.Equal(0.0, metrics["kl/true"], 6);
        Assert.True(double.IsFinite(metrics["reward/true"]));
        using var _ = no_grad();
        using var ids = tensor(new long[] { 0, 3, 4, 5, 6 }, [1, 5]);
        using var logits = task.Reference.Forward(ids);
        using var p = logits.select(1, 4).softmax(-1);
        double entropy = -(p * p.log()).sum().item<float>();
        // uniform over the 15 content tokens would be ln 15 ≈ 2.71; the base chain's rows are far more peaked
        Assert.True(entropy < Math.Log(15) - 0.3, $"next-token entropy {entropy:F3} is close to uniform");
    }

    [Fact]
    public void Each_task_instance_owns_its_reference_copy()
    {
        var choice = TestTasks.Choice("synthetic", new Dictionary<string, string> { ["sft_steps"] = "5", ["train_pairs"] = "8", ["eval_pairs"] = "4", ["eval_samples"] = "4" });
        using var a = TaskCatalog.Create(choice, TaskContext.Cpu);
        using var b = TaskCatalog.Create(choice, TaskContext.Cpu);
        Assert.NotSame(a.Reference, b.Reference);
        Assert.Same(a.TrainPairs, b.TrainPairs); // the build is shared
    }

    [Theory]
    [InlineData("colour", "blue", "has no setting 'colour'; known settings: seed, vocab_size")]
    [InlineData("vocab_size", "3", "setting 'vocab_size': expected an integer in [4, 4096], got '3'")]
    [InlineData("sft_learning_rate", "1,5", "setting 'sft_learning_rate': expected a real number > 0, got '1,5'")]
    [InlineData("heads", "3", "setting 'heads': expected a divisor of d_model (32), got '3'")]
    public void Bad_settings_name_the_key_and_what_was_expected(string key, string value, string expected)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            TestTasks.Choice("synthetic", new Dictionary<string, string> { [key] = value }));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Unknown_task_lists_the_known_ones()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => TaskCatalog.Create(TestTasks.Choice("imbd", new Dictionary<string, string>()), TaskContext.Cpu));
        Assert.Contains("Unknown task 'imbd'; known tasks: emotion-shift, hh-rlhf, imdb-sentiment, preference-pairs, stories-sentiment, synthetic.", error.Message);
    }

    private static int[] Flatten(IReadOnlyList<PreferencePair> pairs) => pairs.SelectMany(p => p.Prompt.Concat(p.Chosen).Concat(p.Rejected)).ToArray();
}
