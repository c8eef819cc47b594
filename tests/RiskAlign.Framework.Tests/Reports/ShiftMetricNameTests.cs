using static RiskAlign.Framework.Tests.Reports.ReportTestData;

namespace RiskAlign.Framework.Tests.Reports;

public sealed class ShiftMetricNameTests
{
    [Theory]
    [InlineData("reward/alpha=0.10", "reward", "alpha", 0.1)]
    [InlineData("reward/alpha=1.00", "reward", "alpha", 1.0)]
    [InlineData("rewards/chosen/alpha=0.5", "rewards/chosen", "alpha", 0.5)] // the series keeps its slash
    [InlineData("acc/shift=-2", "acc", "shift", -2.0)]
    [InlineData("kl/tau=1e-3", "kl", "tau", 0.001)]
    public void A_series_slash_parameter_equals_number_name_is_a_shift_curve_point(string metric, string series, string parameter, double x)
    {
        Assert.True(ShiftMetricName.TryParse(metric, out var name));
        Assert.Equal(new ShiftMetricName(series, parameter, x), name);
    }

    [Theory]
    [InlineData("kl/true")]              // no '=': an ordinary metric
    [InlineData("rewards/accuracies")]
    [InlineData("reward/alpha=abc")]     // x must be a number
    [InlineData("reward/alpha=0,5")]     // invariant culture only
    [InlineData("reward/alpha= 0.5")]    // no spaces
    [InlineData("reward/alpha=")]
    [InlineData("reward/alpha=NaN")]     // finite numbers only
    [InlineData("reward/alpha=Infinity")]
    [InlineData("alpha=0.5")]            // no series
    [InlineData("/alpha=0.5")]
    [InlineData("reward/=0.5")]          // no parameter
    [InlineData("reward/a=b=0.5")]
    public void Other_names_are_not_shift_curve_points(string metric) =>
        Assert.False(ShiftMetricName.TryParse(metric, out _));

    [Fact]
    public void Families_come_from_final_evaluations_of_drawn_trials_sorted_with_safe_distinct_file_names()
    {
        var results = new[]
        {
            Curve(0, 0.1, 0, TrialStatus.Completed,
                Eval(10, ("early/beta=1", 1)),                              // not in the final evaluation: no family
                Eval(20, ("reward/alpha=0.1", 1), ("reward/alpha=0.2", 2), ("a/b/p=1", 1), ("kl/true", 0))),
            Curve(1, 0.1, 1, TrialStatus.Diverged, Eval(20, ("a-b/p=1", double.NaN))),
            Curve(2, 0.1, 2, TrialStatus.Failed, Eval(20, ("failed/x=1", 1))), // failed trials draw nothing
        };

        var families = ShiftCurveFamily.In(results);

        Assert.Equal(
            [new ShiftCurveFamily("a-b", "p", "curve-a-b-vs-p"), new ShiftCurveFamily("a/b", "p", "curve-a-b-vs-p-2"),
             new ShiftCurveFamily("reward", "alpha", "curve-reward-vs-alpha")],
            families);
        Assert.Empty(ShiftCurveFamily.In([]));
        Assert.Empty(ShiftCurveFamily.In(ReportTestData.Sweep()));
    }
}
