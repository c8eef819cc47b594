using System.Globalization;
using static RiskAlign.Framework.Tests.Reports.ReportTestData;

namespace RiskAlign.Framework.Tests.Reports;

public sealed class HistoryCsvWriterTests
{
    private static List<List<string>> Rows(IReadOnlyList<TrialResult> results)
    {
        var text = new StringWriter();
        HistoryCsvWriter.Write(text, results);
        return ReadCsv(text.ToString());
    }

    [Fact]
    public void History_has_one_row_per_trial_and_step_and_the_union_of_metrics_with_empty_cells_where_missing()
    {
        var results = new[]
        {
            // Given out of index order: rows still run by trial index.
            Curve(1, 0.5, 0, TrialStatus.Diverged, Eval(10, ("kl/true", 0.25), ("step", 7)), Eval(20, ("kl/true", double.NaN))),
            Curve(0, 0.1, 0, TrialStatus.Completed, Eval(10, ("reward/true", 0.5), ("reward/alpha=0.10", 1.5)), Eval(20, ("reward/true", 0.75))),
            Curve(2, 0.1, 1, TrialStatus.Failed),
        };

        var rows = Rows(results);

        Assert.Equal(["index", "id", "arm", "label", "seed", "step", "split", "kl/true", "reward/alpha=0.10", "reward/true", "metric.step"], rows[0]); // sorted by metric name
        Assert.Equal(1 + 4, rows.Count); // the failed trial has no evaluation, so no row
        Assert.Equal(["0", "s-0", "dpo", "beta=0.1", "0", "10", "eval", "", "1.5", "0.5", ""], rows[1]);
        Assert.Equal(["0", "s-0", "dpo", "beta=0.1", "0", "20", "eval", "", "", "0.75", ""], rows[2]);
        Assert.Equal(["1", "s-1", "dpo", "beta=0.5", "0", "10", "eval", "0.25", "", "", "7"], rows[3]);
        Assert.Equal(["1", "s-1", "dpo", "beta=0.5", "0", "20", "eval", "", "", "", ""], rows[4]); // NaN is empty
    }

    [Fact]
    public void History_ignores_the_current_culture_and_has_only_a_header_without_results()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var rows = Rows([Curve(0, 0.1, 0, TrialStatus.Completed, Eval(10, ("reward/true", 0.5)))]);
            Assert.Equal("0.5", rows[1][^1]);
        }
        finally { CultureInfo.CurrentCulture = previous; }

        Assert.Equal([["index", "id", "arm", "label", "seed", "step", "split"]], Rows([]));
    }

    [Fact]
    public void Train_rows_share_metric_columns_with_eval_rows_and_come_before_the_evaluation_of_their_step()
    {
        var result = Curve(0, 0.1, 0, TrialStatus.Completed, Eval(0, ("loss", 0.7)), Eval(10, ("loss", 0.5), ("reward/true", 1.0))) with
        {
            TrainLog = [Eval(5, ("loss", 0.6), ("grad_norm", 2.0)), Eval(10, ("loss", 0.55), ("grad_norm", 1.0))],
        };

        var rows = Rows([result]);

        Assert.Equal(["index", "id", "arm", "label", "seed", "step", "split", "grad_norm", "loss", "reward/true"], rows[0]);
        Assert.Equal([["0", "eval", "", "0.7"], ["5", "train", "2", "0.6"], ["10", "train", "1", "0.55"], ["10", "eval", "", "0.5"]],
            rows.Skip(1).Select(r => r.Skip(5).Take(4).ToList()));
    }
}
