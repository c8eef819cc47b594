using System.Globalization;
using System.Text;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// <c>history.csv</c>: every evaluation and train-log point of every trial in long form, one row per (trial, step, split),
/// trials by index, rows in step order (a train row before the evaluation of the same step). Columns: index, id, arm, label
/// (the parameters that vary across the sweep, seed excluded, as in <see cref="TrialGroup.Label"/>), seed, step, split
/// (<c>train</c> for <see cref="TrialResult.TrainLog"/>, <c>eval</c> for <see cref="TrialResult.Evaluations"/>; a metric
/// of both splits shares one column, as <c>loss</c>), then one column per metric (union over all
/// evaluations, sorted ordinally; a metric named like a leading column is written as <c>metric.</c> and its name).
/// A metric an evaluation lacks, and NaN, is an empty field; infinities are <c>Infinity</c> and <c>-Infinity</c>. RFC 4180, invariant culture, as <c>trials.csv</c>.
/// </summary>
public static class HistoryCsvWriter
{
    private static readonly string[] Leading = ["index", "id", "arm", "label", "seed", "step", "split"];

    /// <summary>Writes the table to <paramref name="path"/> (UTF-8, no BOM), replacing any file there.</summary>
    public static void Write(string path, IReadOnlyList<TrialResult> results)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        Write(writer, results);
    }

    /// <summary>Writes the table to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<TrialResult> results)
    {
        var trials = results.OrderBy(r => r.Trial.Index).ToList();
        var label = CompactLabels.For(trials.Select(r => r.Trial).ToList(), includeSeed: false);
        var metrics = trials.SelectMany(r => r.Evaluations.Concat(r.TrainLog)).SelectMany(e => e.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var taken = Leading.ToHashSet(StringComparer.Ordinal);

        ReportFormat.CsvRow(writer, [.. Leading, .. metrics.Select(m => ReportFormat.MetricColumn(m, taken))]);
        foreach (var r in trials)
        {
            var t = r.Trial;
            string[] trial = [t.Index.ToString(CultureInfo.InvariantCulture), t.Id, t.Arm, label(t), t.Training.Seed.ToString(CultureInfo.InvariantCulture)];
            var rows = r.TrainLog.Select(e => (Point: e, Split: "train", Order: 0))
                .Concat(r.Evaluations.Select(e => (Point: e, Split: "eval", Order: 1)))
                .OrderBy(x => x.Point.Step).ThenBy(x => x.Order);
            foreach (var (evaluation, split, _) in rows)
                ReportFormat.CsvRow(writer, [.. trial, evaluation.Step.ToString(CultureInfo.InvariantCulture), split,
                    .. metrics.Select(m => evaluation.Metrics.TryGetValue(m, out var v) ? ReportFormat.Number(v) : "")]);
        }
    }
}
