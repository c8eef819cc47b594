using RiskAlign.Framework.Tests.Tasks;

namespace RiskAlign.Framework.Tests.Training;

/// <summary>Trials of one task build share the frozen reference's outputs on its pairs (ReferenceOutputSharing): computed
/// by the first trial only, the same training either way, a per-step forward when the budget is 0.</summary>
[Collection(TorchThreadsCollection.Name)]
public sealed class ReferenceOutputSharingTests
{
    private static readonly Dictionary<string, string> Small = new()
    {
        ["sft_steps"] = "20", ["train_pairs"] = "24", ["eval_pairs"] = "8", ["eval_samples"] = "8", ["d_model"] = "16",
    };

    private static readonly TrainingSettings Settings = new() { Steps = 6, BatchSize = 8, LearningRate = 1e-3, EvalEvery = 3, Seed = 0 };

    // One trial as TrialExecutor runs it: its own task view (own reference copy) over the shared build.
    private static (IReadOnlyList<EvaluationPoint> Evaluations, int Forwards) Trial(TaskWorld world, ReferenceOutputBudget budget)
    {
        using var task = new PreferenceTask("synthetic", world, CPU);
        using var policy = task.Reference.DeepCopy().Unfreeze();
        using var trainer = new PreferenceTrainer(task, TestTrials.Plugins(new TestDpoLoss()), Settings, CPU, budget);
        var outcome = trainer.Train(policy, null, default);
        Assert.Equal(TrialStatus.Completed, outcome.Status);
        return (outcome.Evaluations, trainer.ReferenceForwards);
    }

    [Fact]
    public void Trials_that_share_a_build_give_the_same_metrics_with_sharing_on_and_off()
    {
        using var built = TaskCatalog.CreateUncached(TestTasks.Choice("synthetic", Small), TaskContext.Cpu); // a build no other test shares
        var world = built.World;

        var first = Trial(world, ReferenceOutputBudget.Default);
        var second = Trial(world, ReferenceOutputBudget.Default);
        var unshared = Trial(world, ReferenceOutputBudget.Off);

        // The first trial computes the build's outputs (one forward per 256-row chunk: chosen and rejected of each pair set).
        Assert.Equal(4, first.Forwards);
        Assert.Equal(0, second.Forwards);
        // Without sharing: one forward per training step, one per evaluation batch (evaluations at steps 0, 3, 6).
        Assert.Equal(Settings.Steps + 3, unshared.Forwards);
        Assert.Equal(first.Evaluations.Select(e => e.Metrics), second.Evaluations.Select(e => e.Metrics));
        // With and without: the same logits up to the matmul shapes (whole padded rows against a batch's cut), so the
        // same metrics to float32 rounding.
        Assert.Equal(first.Evaluations.Count, unshared.Evaluations.Count);
        foreach (var (shared, alone) in first.Evaluations.Zip(unshared.Evaluations))
        {
            Assert.Equal(shared.Metrics.Keys.Order(), alone.Metrics.Keys.Order());
            foreach (var (name, value) in shared.Metrics)
                Assert.True(Math.Abs(value - alone.Metrics[name]) <= 1e-4 * Math.Max(1, Math.Abs(value)),
                    $"step {shared.Step} {name}: shared {value}, unshared {alone.Metrics[name]}");
        }
    }

    [Theory]
    [InlineData("512MiB", 512L << 20)]
    [InlineData("2GB", 2_000_000_000L)]
    [InlineData("1048576", 1048576L)]
    [InlineData("0", 0L)]
    public void A_budget_is_a_size(string text, long bytes) => Assert.Equal(bytes, ReferenceOutputBudget.Parse(text).Bytes);

    [Theory]
    [InlineData("25%", 0.25)]
    [InlineData("0.5", 0.5)]
    public void A_budget_is_a_fraction_of_device_memory(string text, double fraction)
    {
        var budget = ReferenceOutputBudget.Parse(text);
        Assert.Equal(fraction, budget.Fraction!.Value, 12);
        Assert.InRange(budget.BytesOn(CPU), 1, long.MaxValue); // the memory available to this process, scaled
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("150%")]
    [InlineData("-3MiB")]
    public void Anything_else_is_refused_saying_what_is_accepted(string text) =>
        Assert.Contains("expected a size", Assert.Throws<FormatException>(() => ReferenceOutputBudget.Parse(text)).Message);
}
