using static RiskAlign.Framework.Tests.Reports.ReportTestData;

namespace RiskAlign.Framework.Tests.Reports;

/// <summary>A trial that did not complete shows no final drift or reward in trials.csv and is on no front.</summary>
public sealed class TrialsCsvUnfinishedTests
{
    private static Dictionary<string, string> Row(IReadOnlyList<TrialResult> results, int index)
    {
        var writer = new StringWriter();
        TrialsCsvWriter.Write(writer, results);
        var lines = writer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return header.Zip(lines[index + 1].Split(',')).ToDictionary(p => p.First, p => p.Second);
    }

    [Fact]
    public void A_diverged_trial_has_empty_final_drift_reward_and_metrics_and_is_off_the_front()
    {
        // Its drift and reward are what a diverged run's result carries: the last finite evaluation (here 0 and 3.2).
        var results = new[] { Result(0, "dpo", 0.5, 1.0), Result(1, "dpo", 0.0, 3.2, TrialStatus.Diverged, error: "loss became NaN") };
        var row = Row(results, 1);
        Assert.Equal("Diverged", row["status"]);
        Assert.Equal("", row["drift"]);
        Assert.Equal("", row["reward"]);
        Assert.Equal("", row["kl/true"]);
        Assert.Equal("", row["reward/true"]);
        Assert.Equal("0.5", Row(results, 0)["drift"]);
        Assert.Equal([0], ParetoFront.Of(results).Points.Select(p => p.Trial.Index));
    }

    [Fact]
    public void A_cancelled_trial_keeps_its_partial_metrics_but_no_final_drift_or_reward()
    {
        var row = Row([Result(0, "dpo", 0.25, 0.75, TrialStatus.Cancelled)], 0);
        Assert.Equal("", row["drift"]);
        Assert.Equal("", row["reward"]);
        Assert.Equal("0.25", row["kl/true"]); // its last evaluation before it stopped
    }
}
