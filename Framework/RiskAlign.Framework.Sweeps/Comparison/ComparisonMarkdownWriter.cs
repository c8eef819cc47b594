using System.Globalization;

namespace RiskAlign.Framework.Comparison;

/// <summary>The comparison as Markdown (printed by <c>compare</c> and saved as <c>compare.md</c>): the sweeps and their
/// hypervolumes against the shared reference, one arm × sweep table per metric, and each trial's trace id and span
/// timings.</summary>
public static class ComparisonMarkdownWriter
{
    /// <summary>Metrics tabulated unless others are asked for: the trials.csv columns every sweep has.</summary>
    public static IReadOnlyList<string> DefaultMetrics { get; } = ["drift", "reward", "wall_seconds"];

    public static void Write(TextWriter w, SweepComparison c, IReadOnlyList<string> metrics, string? plotFile)
    {
        w.WriteLine($"# Compare: {string.Join(" vs ", c.Sweeps.Select(s => s.Name))}");
        w.WriteLine();
        foreach (var warning in c.Warnings) w.WriteLine($"> warning: {warning}");
        w.WriteLine($"Hypervolumes are measured from one shared reference point, the worst drift and worst reward of every " +
                    $"eligible trial of every sweep: drift {N(c.Reference.Drift)}, reward {N(c.Reference.Reward)}. Higher is better.");
        w.WriteLine();
        if (plotFile is not null) { w.WriteLine($"![Pareto fronts]({plotFile})"); w.WriteLine(); }
        w.WriteLine("| sweep | folder | drift metric | reward metric | trials | on a front (completed, finite) | front size | hypervolume |");
        w.WriteLine("|---|---|---|---|---|---|---|---|");
        for (int s = 0; s < c.Sweeps.Count; s++)
        {
            var sweep = c.Sweeps[s];
            w.WriteLine($"| {sweep.Name} | {sweep.Path} | {sweep.DriftMetric} | {sweep.RewardMetric} | {sweep.Trials.Count} | " +
                        $"{sweep.Trials.Count(t => t.Eligible)} | {c.Fronts[s].Points.Count} | {N(c.Fronts[s].Hypervolume)} |");
        }
        w.WriteLine();

        string header = "| arm | " + string.Join(" | ", c.Sweeps.Select(s => s.Name)) + " |";
        string rule = "|---|" + string.Concat(c.Sweeps.Select(_ => "---|"));
        w.WriteLine("## hypervolume per arm (shared reference)");
        w.WriteLine();
        w.WriteLine(header);
        w.WriteLine(rule);
        foreach (var arm in c.Arms)
            w.WriteLine($"| {arm} | " + string.Join(" | ", c.Sweeps.Select(s => s.Trials.Any(t => t.Arm == arm) ? N(c.ArmHypervolume(s, arm)) : "")) + " |");
        w.WriteLine();
        var histories = c.Sweeps.Select(c.HypervolumeHistory).ToList();
        w.WriteLine("## hypervolume against trials spent (shared reference)");
        w.WriteLine();
        w.WriteLine("After the k-th trial in index (launch or proposal) order; stopped, failed and diverged trials count as spent.");
        w.WriteLine();
        w.WriteLine("| trials | " + string.Join(" | ", c.Sweeps.Select(s => s.Name)) + " |");
        w.WriteLine(rule);
        for (int k = 0; k < histories.Max(h => h.Count); k++)
            w.WriteLine($"| {k + 1} | " + string.Join(" | ", histories.Select(h => k < h.Count ? N(h[k]) : "")) + " |");
        w.WriteLine();
        foreach (var metric in metrics)
        {
            w.WriteLine($"## {metric} (mean over the arm's completed trials, n)");
            w.WriteLine();
            w.WriteLine(header);
            w.WriteLine(rule);
            foreach (var arm in c.Arms)
                w.WriteLine($"| {arm} | " + string.Join(" | ", c.Sweeps.Select(s =>
                {
                    var (mean, n) = SweepComparison.ArmMean(s, arm, metric);
                    return n == 0 ? "" : $"{N(mean)} ({n})";
                })) + " |");
            w.WriteLine();
        }

        w.WriteLine("## Trials: trace ids and span timings (seconds, from trace.jsonl)");
        w.WriteLine();
        w.WriteLine("| sweep | # | arm | status | drift | reward | trace id | trial | task build | train | eval |");
        w.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var sweep in c.Sweeps)
            foreach (var t in sweep.Trials.OrderBy(t => t.Index))
            {
                var s = t.Timings;
                w.WriteLine($"| {sweep.Name} | {t.Index} | {t.Arm} | {t.Status} | {(t.Completed ? N(t.Drift) : "")} | {(t.Completed ? N(t.Reward) : "")} | " +
                            $"{s?.TraceId ?? "(no span)"} | {Sec(s?.TrialMs)} | {Sec(s?.TaskBuildMs)} | {Sec(s?.TrainMs)} | {Sec(s?.EvalMs)} |");
            }
    }

    private static string N(double x) => double.IsFinite(x) ? x.ToString("G4", CultureInfo.InvariantCulture) : "-";
    private static string Sec(double? ms) => ms is { } v && double.IsFinite(v) ? (v / 1000).ToString("F2", CultureInfo.InvariantCulture) : "-";
}
