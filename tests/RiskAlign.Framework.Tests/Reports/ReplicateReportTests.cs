using System.Text.Json;
using RiskAlign.Framework.Pareto;
using static RiskAlign.Framework.Tests.Reports.ReportTestData;

namespace RiskAlign.Framework.Tests.Reports;

/// <summary>Seeds as replicates (means with intervals), the hypervolume history, and ASHA's Stopped trials in the reports.</summary>
public sealed class ReplicateReportTests
{
    private static TrialResult Seeded(int index, double beta, int seed, double drift, double reward, TrialStatus status = TrialStatus.Completed, int step = 20) =>
        Curve(index, beta, seed, status, Eval(step, ("kl/true", drift), ("reward/true", reward)));

    // Setting β=0.1: seeds at (0.1, 0.5) and (0.3, 0.7), means (0.2, 0.6); setting β=0.2: (0.4, 0.4) and (0.6, 0.6),
    // means (0.5, 0.5), dominated by the first setting's means.
    private static IReadOnlyList<TrialResult> TwoSettings() =>
    [
        Seeded(0, 0.1, 0, 0.1, 0.5), Seeded(1, 0.1, 1, 0.3, 0.7),
        Seeded(2, 0.2, 0, 0.4, 0.4), Seeded(3, 0.2, 1, 0.6, 0.6),
    ];

    [Fact]
    public void The_interval_is_the_student_t_half_width_with_min_and_max()
    {
        // 1, 2, 3: mean 2, sample sd 1, t(0.975, 2 df) = 4.303 from the table, half-width 4.303/√3.
        var interval = ReplicateInterval.Of([1, 2, 3, double.NaN]);
        Assert.Equal((3, 2.0, 1.0, 3.0), (interval.Count, interval.Mean, interval.Min, interval.Max));
        Assert.Equal(4.303 / Math.Sqrt(3), interval.HalfWidth, 12);
        Assert.True(double.IsNaN(ReplicateInterval.Of([5]).HalfWidth));
    }

    [Fact]
    public void Settings_are_judged_on_their_seed_means_in_the_report_and_pareto_json()
    {
        var settings = SettingSummary.Of(TwoSettings());
        Assert.Equal(2, settings.Count);
        Assert.Equal((0.2, 0.6, true), (settings[0].Drift.Mean, settings[0].Reward.Mean, settings[0].OnMeanFront), new ToleranceComparer());
        Assert.False(settings[1].OnMeanFront);

        // Two seeds: t(0.975, 1 df) = 12.706, sd of (0.1, 0.3) = 0.1·√2, half-width 12.706·0.1 ≈ 1.3.
        var md = ReportMarkdownWriter.Render("s", TwoSettings());
        Assert.Contains("## Settings over seeds", md);
        Assert.Contains("| 2 / 2 | 0.2 ± 1.3 [0.1–0.3] | 0.6 ± 1.3 [0.5–0.7] |", md);

        using var stream = new MemoryStream();
        ParetoJsonWriter.Write(stream, TwoSettings());
        using var json = JsonDocument.Parse(stream.ToArray());
        var first = json.RootElement.GetProperty("settings")[0];
        Assert.Equal([0, 1], first.GetProperty("indices").EnumerateArray().Select(i => i.GetInt32()));
        Assert.Equal(0.2, first.GetProperty("drift").GetProperty("mean").GetDouble(), 12);
        Assert.Equal(1.2706, first.GetProperty("drift").GetProperty("half_width").GetDouble(), 4);
        Assert.True(first.GetProperty("on_mean_front").GetBoolean());
        Assert.False(json.RootElement.GetProperty("settings")[1].GetProperty("on_mean_front").GetBoolean());
    }

    [Fact]
    public void The_hypervolume_history_grows_with_each_trial_in_index_order_from_one_reference()
    {
        // ReportTestData.Sweep: A(0.1, 0.2), B(0.3, 0.6), C and D dominated by B, then a failed trial; reference
        // (0.6, 0.1). After A: (0.6 − 0.1)·(0.2 − 0.1) = 0.05; after B: 0.17 (hand-computed in Sweep's comment); then flat.
        var results = Sweep();
        var history = HypervolumeHistory.Of(results, ParetoFront.Of(results).Reference);
        Assert.Equal([0, 1, 2, 3, 4], history.Select(h => h.TrialIndex));
        Assert.Equal([0.05, 0.17, 0.17, 0.17, 0.17], history.Select(h => Math.Round(h.Hypervolume, 12)));

        using var stream = new MemoryStream();
        ParetoJsonWriter.Write(stream, results);
        using var json = JsonDocument.Parse(stream.ToArray());
        var written = json.RootElement.GetProperty("hypervolume_history").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 4, 5], written.Select(h => h.GetProperty("trials").GetInt32()));
        Assert.Equal(0.17, written[^1].GetProperty("hypervolume").GetDouble(), 12);
    }

    [Fact]
    public void A_stopped_trial_keeps_its_last_evaluation_in_trials_csv_is_listed_in_the_report_and_is_on_no_front()
    {
        var results = new List<TrialResult>(TwoSettings()) { Seeded(4, 0.3, 0, 0.01, 0.99, TrialStatus.Stopped, step: 40) with { Error = "Stopped by ASHA at step 40" } };
        var writer = new StringWriter();
        TrialsCsvWriter.Write(writer, results);
        var lines = writer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var row = lines[0].Split(',').Zip(lines[5].Split(',')).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal("Stopped", row["status"]);
        Assert.Equal("", row["drift"]); // not a final result
        Assert.Equal("0.01", row["kl/true"]); // its last (partial) evaluation
        Assert.Equal("0.99", row["reward/true"]);

        Assert.DoesNotContain(4, ParetoFront.Of(results).Points.Select(p => p.Trial.Index)); // it would dominate everything
        var md = ReportMarkdownWriter.Render("s", results);
        Assert.Contains("4 completed, 1 stopped", md);
        Assert.Contains("## Stopped early", md);
        Assert.Contains("Stopped by ASHA at step 40", md);
    }

    private sealed class ToleranceComparer : IEqualityComparer<(double, double, bool)>
    {
        public bool Equals((double, double, bool) a, (double, double, bool) b) =>
            Math.Abs(a.Item1 - b.Item1) < 1e-12 && Math.Abs(a.Item2 - b.Item2) < 1e-12 && a.Item3 == b.Item3;
        public int GetHashCode((double, double, bool) obj) => 0;
    }
}
