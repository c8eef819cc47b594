using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>All of a sweep's report files in one folder.</summary>
public static class SweepReport
{
    /// <summary>
    /// The files every report has, in the order <see cref="WriteAll"/> returns their paths. They are only the fixed
    /// part: shift curves (<see cref="ShiftCurveFamily"/>) add two files each, so the full list depends on the results
    /// and is what <see cref="WriteAll"/> returns.
    /// </summary>
    public static IReadOnlyList<string> FileNames { get; } =
        ["trials.csv", "history.csv", "pareto.json", "pareto.png", "pareto.svg", "curves.png", "curves.svg", "report.md"];

    /// <summary>
    /// Writes the files of <see cref="FileNames"/> and, for every shift-curve family in the final evaluations,
    /// <c>curve-&lt;series&gt;-vs-&lt;param&gt;.png</c> and <c>.svg</c> into <paramref name="outDir"/> (created if
    /// missing; existing files replaced) and returns every path written: <see cref="FileNames"/>' in that order, then
    /// each family's PNG and SVG in <see cref="ShiftCurveFamily.In"/>'s order. Empty results, missing metrics and
    /// non-finite values give empty plots and tables, never an error.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(string outDir, string sweepName, IReadOnlyList<TrialResult> results)
    {
        Directory.CreateDirectory(outDir);
        var paths = FileNames.Select(name => Path.Combine(outDir, name)).ToList();
        TrialsCsvWriter.Write(paths[0], results);
        HistoryCsvWriter.Write(paths[1], results);
        ParetoJsonWriter.Write(paths[2], results);
        FrontPlotter.Write(paths[3], paths[4], results, $"{sweepName}: Pareto front");
        TrainingCurvePlotter.Write(paths[5], paths[6], results, sweepName);
        ReportMarkdownWriter.Write(paths[7], sweepName, results);
        foreach (var family in ShiftCurveFamily.In(results))
        {
            string png = Path.Combine(outDir, family.FileStem + ".png"), svg = Path.Combine(outDir, family.FileStem + ".svg");
            ShiftCurvePlotter.Write(png, svg, results, family, sweepName);
            paths.AddRange([png, svg]);
        }
        return paths;
    }
}
