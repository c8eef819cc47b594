namespace RiskAlign.Framework.Tests.Pareto;

public sealed class ParetoFrontTests
{
    private static TrialResult Result(int index, double drift, double reward, string arm = "dpo", TrialStatus status = TrialStatus.Completed) => new()
    {
        Trial = new TrialDefinition
        {
            SweepId = "s", Index = index, Arm = arm,
            Task = new TaskChoice("synthetic"),
            Loss = new PluginChoice("dpo", new Dictionary<string, ParameterValue>()),
            UncertaintySet = new PluginChoice("nominal", new Dictionary<string, ParameterValue>()),
            Training = new TrainingSettings(),
        },
        Status = status,
        DriftMetric = "kl", RewardMetric = "r",
        Evaluations = [new EvaluationPoint(1, new Dictionary<string, double> { ["kl"] = drift, ["r"] = reward })],
    };

    // Points (drift, reward): A(1,1) B(2,3) C(3,2) D(4,4); C is dominated by B (less drift, more reward).
    private static readonly TrialResult[] Sweep = [Result(0, 1, 1), Result(1, 2, 3), Result(2, 3, 2), Result(3, 4, 4)];

    [Fact]
    public void Front_keeps_exactly_the_non_dominated_trials_in_drift_order()
    {
        var front = ParetoFront.Of(Sweep);
        Assert.Equal([0, 1, 3], front.Points.Select(p => p.Trial.Index));
    }

    [Fact]
    public void Hypervolume_matches_the_hand_computed_staircase_area()
    {
        // Default reference = (worst drift 4, worst reward 1): only B's box [2,4]×[1,3] has area, 2·2 = 4.
        Assert.Equal(4.0, ParetoFront.Of(Sweep).Hypervolume, 12);
        // Reference (5, 0): x in [1,2) height 1, [2,4) height 3, [4,5) height 4 → 1 + 6 + 4 = 11.
        Assert.Equal(11.0, ParetoFront.Of(Sweep, (5, 0)).Hypervolume, 12);
    }

    [Fact]
    public void Diverged_and_NaN_trials_are_on_no_front()
    {
        var front = ParetoFront.Of([.. Sweep, Result(4, 0.1, 10, status: TrialStatus.Diverged), Result(5, double.NaN, 9)]);
        Assert.Equal([0, 1, 3], front.Points.Select(p => p.Trial.Index));
    }

    [Fact]
    public void Equal_points_do_not_dominate_each_other()
    {
        var front = ParetoFront.Of([Result(0, 2, 3), Result(1, 2, 3), Result(2, 3, 1)]);
        Assert.Equal([0, 1], front.Points.Select(p => p.Trial.Index));
    }

    [Fact]
    public void Per_arm_fronts_share_the_overall_reference_point()
    {
        var fronts = ParetoFront.PerArm([Result(0, 1, 1, "a"), Result(1, 2, 3, "a"), Result(2, 3, 2, "b"), Result(3, 4, 4, "b")]);
        Assert.Equal((4.0, 1.0), fronts["a"].Reference);
        Assert.Equal((4.0, 1.0), fronts["b"].Reference);
        Assert.Equal(4.0, fronts["a"].Hypervolume, 12); // B's box [2,4]×[1,3]
        Assert.Equal(1.0, fronts["b"].Hypervolume, 12); // C's box [3,4]×[1,2]; D has no width
    }

    [Fact]
    public void No_eligible_trial_gives_an_empty_front_with_NaN_hypervolume()
    {
        var front = ParetoFront.Of([Result(0, 1, 1, status: TrialStatus.Failed)]);
        Assert.Empty(front.Points);
        Assert.True(double.IsNaN(front.Hypervolume));
    }
}
