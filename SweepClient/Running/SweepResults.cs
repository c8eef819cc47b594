using RiskAlign.Framework.Reports;
using RiskAlign.Framework.Saving;

namespace RiskAlign.SweepClient.Running;

/// <summary>The end of <c>run</c> and all of <c>results</c>: the report files, the tables, and the exit code.</summary>
internal static class SweepResults
{
    /// <summary>Writes every report file into <paramref name="outDir"/>, prints the tables; returns 0 (completed),
    /// 1 (some trial failed) or 130 (cancelled).</summary>
    public static int Write(IAnsiConsole console, SweepSnapshot snapshot, DirectoryInfo outDir)
    {
        var results = BestPolicies.Prune(snapshot.Trials.Select(t => t.Result).OfType<TrialResult>().ToList());
        var files = SweepReport.WriteAll(outDir.FullName, snapshot.Name, results);
        ResultTables.Write(console, snapshot);
        console.MarkupLine("Wrote " + string.Join(", ", files.Select(f => $"[blue]{Markup.Escape(Path.GetRelativePath(Directory.GetCurrentDirectory(), f))}[/]")));
        return ExitCode(snapshot);
    }

    public static int ExitCode(SweepSnapshot snapshot)
    {
        if (snapshot.Status == SweepStatus.Cancelled) return 130;
        return snapshot.Trials.Any(t => t.Result?.Status == TrialStatus.Failed) ? 1 : 0;
    }
}
