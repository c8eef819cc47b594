using static RiskAlign.Framework.Tests.Reports.ReportTestData;

namespace RiskAlign.Framework.Tests.Reports;

public sealed class MetricCurvesTests
{
    // β = 0.1 with seeds 0 and 1, β = 0.5 with seed 0. Expected means are the arithmetic means of the values below.
    private static IReadOnlyList<TrialResult> TwoSettings(TrialStatus secondSeed = TrialStatus.Completed, double secondSeedLastReward = 0.8) =>
    [
        Curve(0, 0.1, 0, TrialStatus.Completed,
            Eval(10, ("reward/true", 0.2), ("reward/alpha=0.5", 0.3), ("reward/alpha=0.0", 0.1)),
            Eval(20, ("reward/true", 0.4), ("reward/alpha=0.5", 0.5), ("reward/alpha=0.0", 0.2), ("reward/alpha=1.0", 0.9))),
        Curve(1, 0.1, 1, secondSeed,
            Eval(10, ("reward/true", 0.4)),
            Eval(20, ("reward/true", secondSeedLastReward), ("reward/alpha=0.5", 0.7), ("reward/alpha=0.0", 0.4), ("reward/alpha=1.0", 0.5))),
        Curve(2, 0.5, 0, TrialStatus.Completed, Eval(10, ("reward/true", 1.0)), Eval(20, ("reward/true", 2.0))),
    ];

    [Fact]
    public void Trials_that_differ_only_by_seed_form_one_group_named_by_arm_and_varying_parameters()
    {
        var groups = TrialGroup.Of(TwoSettings());
        Assert.Equal(["dpo beta=0.1", "dpo beta=0.5"], groups.Select(g => g.Name));
        Assert.Equal([0, 1], groups[0].Members.Select(r => r.Trial.Index));
        Assert.Equal([2], groups[1].Members.Select(r => r.Trial.Index));
        Assert.Equal("dpo", TrialGroup.Of([TwoSettings()[0]]).Single().Name); // nothing varies: the arm alone
        Assert.Empty(TrialGroup.Of([]));
    }

    [Fact]
    public void A_training_curve_is_the_mean_over_seeds_at_each_step_with_min_and_max()
    {
        var curve = MetricCurves.Training(TrialGroup.Of(TwoSettings())[0], "reward/true");
        // step 10: (0.2 + 0.4)/2 = 0.3; step 20: (0.4 + 0.8)/2 = 0.6.
        Assert.Equal([10.0, 20.0], curve.Select(p => p.X));
        Assert.Equal(0.3, curve[0].Mean, 12);
        Assert.Equal(0.6, curve[1].Mean, 12);
        Assert.Equal((0.4, 0.8, 2), (curve[1].Min, curve[1].Max, curve[1].Seeds));
        Assert.Empty(MetricCurves.Training(TrialGroup.Of(TwoSettings())[0], "no/such_metric"));
    }

    [Fact]
    public void A_diverged_seed_counts_up_to_its_last_finite_value_and_a_failed_one_not_at_all()
    {
        var diverged = MetricCurves.Training(TrialGroup.Of(TwoSettings(TrialStatus.Diverged, double.NaN))[0], "reward/true");
        Assert.Equal(0.3, diverged[0].Mean, 12);
        Assert.Equal(2, diverged[0].Seeds);
        Assert.Equal((0.4, 1), (diverged[1].Mean, diverged[1].Seeds)); // only seed 0 is finite at step 20

        var failed = MetricCurves.Training(TrialGroup.Of(TwoSettings(TrialStatus.Failed))[0], "reward/true");
        Assert.Equal([0.2, 0.4], failed.Select(p => p.Mean));
        Assert.All(failed, p => Assert.Equal(1, p.Seeds));
    }

    [Fact]
    public void A_shift_curve_averages_the_final_evaluations_by_parameter_value_ascending()
    {
        var results = TwoSettings();
        var family = ShiftCurveFamily.In(results).Single();
        var curve = MetricCurves.Shift(TrialGroup.Of(results)[0], family);
        // alpha 0: (0.2 + 0.4)/2 = 0.3; 0.5: (0.5 + 0.7)/2 = 0.6; 1: (0.9 + 0.5)/2 = 0.7. Step 10's values are not final.
        Assert.Equal([0.0, 0.5, 1.0], curve.Select(p => p.X));
        Assert.Equal([0.3, 0.6, 0.7], curve.Select(p => Math.Round(p.Mean, 12)));
        Assert.Equal((0.5, 0.9, 2), (curve[2].Min, curve[2].Max, curve[2].Seeds));
        Assert.Empty(MetricCurves.Shift(TrialGroup.Of(results)[1], family)); // β = 0.5 reports no shift metrics
    }
}
