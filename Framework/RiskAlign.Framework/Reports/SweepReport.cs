using RiskAlign.Framework.Sweeps;

namespace RiskAlign.Framework.Reports;

/// <summary>All of a sweep's report files in one folder.</summary>
public static class SweepReport
{
    /// <summary>File names, in the order <see cref="WriteAll"/> returns their paths.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["trials.csv", "pareto.json", "pareto.png", "pareto.svg", "report.md"];

    /// <summary>
    /// Writes trials.csv, pareto.json, pareto.png, pareto.svg and report.md into <paramref name="outDir"/> (created
    /// if missing; existing files replaced) and returns their paths in that order.
    /// </summary>
    public static IReadOnlyList<string> WriteAll(string outDir, string sweepName, IReadOnlyList<TrialResult> results)
    {
        Directory.CreateDirectory(outDir);
        var paths = FileNames.Select(name => Path.Combine(outDir, name)).ToArray();
        TrialsCsvWriter.Write(paths[0], results);
        ParetoJsonWriter.Write(paths[1], results);
        FrontPlotter.Write(paths[2], paths[3], results, $"{sweepName}: Pareto front");
        ReportMarkdownWriter.Write(paths[4], sweepName, results);
        return paths;
    }
}
