using RiskAlign.Framework.Reports;
using RiskAlign.Framework.Saving;
using RiskAlign.Framework.Telemetry;

namespace RiskAlign.SweepClient.Running;

/// <summary>The end of <c>run</c> and all of <c>results</c>: the report files, the tables, and the exit code.</summary>
internal static class SweepResults
{
    /// <summary>Writes every report file into <paramref name="outDir"/>, prints the tables; returns 0 (completed),
    /// 1 (some trial failed) or 130 (cancelled). <paramref name="alsoWritten"/>: files the caller wrote there too,
    /// listed with the rest.</summary>
    public static int Write(IAnsiConsole console, SweepSnapshot snapshot, DirectoryInfo outDir, IEnumerable<string>? alsoWritten = null)
    {
        var results = BestPolicies.Prune(snapshot.Trials.Select(t => t.Result).OfType<TrialResult>().ToList());
        var files = SweepReport.WriteAll(outDir.FullName, snapshot.Name, results).Concat(alsoWritten ?? []);
        ResultTables.Write(console, snapshot);
        console.MarkupLine("Wrote " + string.Join(", ", files.Select(f => $"[blue]{Markup.Escape(Path.GetRelativePath(Directory.GetCurrentDirectory(), f))}[/]")));
        return ExitCode(snapshot);
    }

    /// <summary>As <see cref="Write"/>, plus trace.jsonl from the spans the cluster stored with each result (the silos
    /// that ran the trials recorded them), so a folder fetched from the cluster can be compared as one <c>run</c> wrote.</summary>
    public static async Task<int> WriteFromClusterAsync(IAnsiConsole console, ISweepGrain sweep, SweepSnapshot snapshot, DirectoryInfo outDir)
    {
        var trace = await WriteTraceAsync(sweep, outDir);
        return Write(console, snapshot, outDir, [trace]);
    }

    /// <summary>Writes trace.jsonl into <paramref name="outDir"/> from the cluster's stored spans; returns its path.</summary>
    public static async Task<string> WriteTraceAsync(ISweepGrain sweep, DirectoryInfo outDir)
    {
        var path = Path.Combine(outDir.FullName, "trace.jsonl");
        SpanJsonLines.Write(path, await sweep.GetSpans());
        return path;
    }

    public static int ExitCode(SweepSnapshot snapshot)
    {
        if (snapshot.Status == SweepStatus.Cancelled) return 130;
        return snapshot.Trials.Any(t => t.Result?.Status == TrialStatus.Failed) ? 1 : 0;
    }
}
