using System.Text;
using RiskAlign.Framework.Pareto;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// <c>report.md</c>: the sweep's name, trial counts by status, the overall Pareto front as a table, each arm's best
/// trials and hypervolume, the training curves (<c>curves.png</c>), one section per shift-curve family with its plot
/// and a table of its means over seeds, each setting's drift and reward over its seeds (mean with interval), the
/// trials ASHA stopped, and why trials failed or diverged.
/// </summary>
public static class ReportMarkdownWriter
{
    /// <summary>Writes the report to <paramref name="path"/> (UTF-8).</summary>
    public static void Write(string path, string sweepName, IReadOnlyList<TrialResult> results) =>
        File.WriteAllText(path, Render(sweepName, results), new UTF8Encoding(false));

    /// <summary>The report as Markdown text.</summary>
    public static string Render(string sweepName, IReadOnlyList<TrialResult> results)
    {
        var (drift, reward) = ReportFormat.MetricNames(results);
        var overall = ParetoFront.Of(results);
        var perArm = ParetoFront.PerArm(results);
        var md = new StringBuilder();
        md.Append($"# Sweep {Cell(sweepName)}\n\n");

        md.Append($"{results.Count} trials: ");
        md.Append(string.Join(", ", Enum.GetValues<TrialStatus>()
            .Select(s => (Status: s, Count: results.Count(r => r.Status == s)))
            .Where(x => x.Count > 0)
            .Select(x => $"{x.Count} {x.Status.ToString().ToLowerInvariant()}")));
        md.Append(".\n\n");
        md.Append($"Drift: `{drift}` (lower is better). Reward: `{reward}` (higher is better). ");
        md.Append($"Reference point ({ReportFormat.Short(overall.Reference.Drift)}, {ReportFormat.Short(overall.Reference.Reward)}); ");
        md.Append($"overall hypervolume {ReportFormat.Short(overall.Hypervolume)}.\n\n");

        md.Append("## Pareto front\n\n");
        if (overall.Points.Count == 0) md.Append("No trial finished with finite drift and reward.\n\n");
        else
        {
            md.Append("| # | trial | arm | drift | reward | setting |\n|---:|---|---|---:|---:|---|\n");
            foreach (var r in overall.Points)
                md.Append($"| {r.Trial.Index} | {Cell(r.Trial.Id)} | {Cell(r.Trial.Arm)} | {ReportFormat.Short(r.Drift)} | {ReportFormat.Short(r.Reward)} | {Cell(r.Trial.Label)} |\n");
            md.Append('\n');
        }

        md.Append("## Per arm\n\n");
        md.Append("| arm | trials | finished | on own front | hypervolume | best reward (drift, trial) | lowest drift (reward, trial) |\n");
        md.Append("|---|---:|---:|---:|---:|---|---|\n");
        foreach (var arm in results.Select(r => r.Trial.Arm).Distinct().Order(StringComparer.Ordinal))
        {
            var mine = results.Where(r => r.Trial.Arm == arm).ToList();
            var finished = ParetoFront.Eligible(mine).ToList();
            var front = perArm.TryGetValue(arm, out var f) ? f : ParetoFront.Of(mine);
            string best = "–", lowest = "–";
            if (finished.Count > 0)
            {
                var b = finished.OrderByDescending(r => r.Reward).ThenBy(r => r.Drift).ThenBy(r => r.Trial.Index).First();
                var l = finished.OrderBy(r => r.Drift).ThenByDescending(r => r.Reward).ThenBy(r => r.Trial.Index).First();
                best = $"{ReportFormat.Short(b.Reward)} ({ReportFormat.Short(b.Drift)}, {Cell(b.Trial.Id)})";
                lowest = $"{ReportFormat.Short(l.Drift)} ({ReportFormat.Short(l.Reward)}, {Cell(l.Trial.Id)})";
            }
            md.Append($"| {Cell(arm)} | {mine.Count} | {finished.Count} | {front.Points.Count} | {ReportFormat.Short(front.Hypervolume)} | {best} | {lowest} |\n");
        }
        md.Append('\n');

        SettingsSection(md, results);

        md.Append("## Training curves\n\n![training curves](curves.png)\n\n");
        md.Append($"`{drift}` and `{reward}` against the step, one line per setting (mean over seeds; also [curves.svg](curves.svg)). ");
        md.Append("Every evaluation of every trial is in [history.csv](history.csv).\n\n");
        var groups = TrialGroup.Of(results);
        foreach (var family in ShiftCurveFamily.In(results)) ShiftSection(md, family, groups);

        var stopped = results.Where(r => r.Status == TrialStatus.Stopped).OrderBy(r => r.Trial.Index).ToList();
        if (stopped.Count > 0)
        {
            md.Append("## Stopped early\n\n");
            md.Append($"{stopped.Count} trials were stopped before their last step (by ASHA at an evaluation checkpoint, at their time limit, or when the sweep's time budget ran out); their evaluations up to there are in ");
            md.Append("[history.csv](history.csv) and their last one in trials.csv. They are on no front.\n\n");
            foreach (var r in stopped)
                md.Append($"- {Cell(r.Trial.Id)} ({Cell(r.Trial.Arm)}, {Cell(r.Trial.Label)}): {Cell(r.Error ?? "stopped")}\n");
            md.Append('\n');
        }

        var troubled = results.Where(r => r.Status is TrialStatus.Failed or TrialStatus.Diverged).OrderBy(r => r.Trial.Index).ToList();
        if (troubled.Count > 0)
        {
            md.Append("## Failed and diverged\n\n");
            foreach (var r in troubled)
                md.Append($"- {Cell(r.Trial.Id)} ({Cell(r.Trial.Arm)}, {r.Status.ToString().ToLowerInvariant()}): {Cell(r.Error ?? "no message")}\n");
            md.Append('\n');
        }
        return md.ToString();
    }

    // Seeds as replicates: one row per setting with drift and reward as mean ± 95% half-width [min–max] over its
    // completed seeds; only when some setting ran more than one seed (otherwise the front above says it all).
    private static void SettingsSection(StringBuilder md, IReadOnlyList<TrialResult> results)
    {
        var settings = SettingSummary.Of(results);
        if (!settings.Any(s => s.Group.Members.Count > 1)) return;
        md.Append("## Settings over seeds\n\n");
        md.Append("Seeds are replicates: drift and reward of each setting as mean ± half-width of the 95% Student-t interval ");
        md.Append("[min–max] over its completed seeds. `*`: on the front of the setting means.\n\n");
        md.Append("| front | arm | setting | completed / seeds | drift | reward |\n|---|---|---|---:|---|---|\n");
        foreach (var s in settings.OrderByDescending(s => s.OnMeanFront).ThenBy(s => s.Drift.Mean))
            md.Append($"| {(s.OnMeanFront ? "*" : "")} | {Cell(s.Group.Arm)} | {Cell(s.Group.Label)} | {s.Completed} / {s.Group.Members.Count} | {Interval(s.Drift)} | {Interval(s.Reward)} |\n");
        md.Append('\n');
    }

    private static string Interval(ReplicateInterval x) => x.Count == 0 ? "–"
        : x.Count == 1 ? ReportFormat.Short(x.Mean)
        : $"{ReportFormat.Short(x.Mean)} ± {ReportFormat.Short(x.HalfWidth, 2)} [{ReportFormat.Short(x.Min)}–{ReportFormat.Short(x.Max)}]";

    // The family's plot and its means over seeds: a row per setting that has a value, a column per parameter value.
    private static void ShiftSection(StringBuilder md, ShiftCurveFamily family, IReadOnlyList<TrialGroup> groups)
    {
        md.Append($"## `{Cell(family.Series)}` vs `{Cell(family.Parameter)}`\n\n");
        md.Append($"![{Cell(family.Series)} vs {Cell(family.Parameter)}]({family.FileStem}.png)\n\n");
        md.Append($"`{Cell(family.Series)}` at the final evaluation for each `{Cell(family.Parameter)}`, mean over seeds (3 significant digits); ");
        md.Append($"the plot shades the min–max over seeds ([{family.FileStem}.svg]({family.FileStem}.svg)).\n\n");
        var rows = groups.Select(g => (Group: g, Curve: MetricCurves.Shift(g, family))).Where(r => r.Curve.Count > 0).ToList();
        if (rows.Count == 0) { md.Append("No finite value.\n\n"); return; }
        var xs = rows.SelectMany(r => r.Curve.Select(p => p.X)).Distinct().Order().ToList();
        md.Append($"| arm | setting | seeds | {string.Join(" | ", xs.Select(x => ReportFormat.Short(x)))} |\n");
        md.Append($"|---|---|---:|{string.Concat(xs.Select(_ => "---:|"))}\n");
        foreach (var (group, curve) in rows)
        {
            var means = curve.ToDictionary(p => p.X, p => ReportFormat.Short(p.Mean, digits: 3));
            md.Append($"| {Cell(group.Arm)} | {Cell(group.Label)} | {curve.Max(p => p.Seeds)} | {string.Join(" | ", xs.Select(x => means.GetValueOrDefault(x, "–")))} |\n");
        }
        md.Append('\n');
    }

    // Table cells and list items stay on one line and keep their pipes literal.
    private static string Cell(string text) => text.ReplaceLineEndings(" ").Replace("|", "\\|");
}
