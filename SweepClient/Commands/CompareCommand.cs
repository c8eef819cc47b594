using RiskAlign.Framework.Comparison;
using RiskAlign.Framework.Reports;
using RiskAlign.SweepClient.Cluster;
using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>compare A B ...</c>: sweeps side by side, from output folders (their files alone, no cluster) or from
/// sweep ids, which are fetched from a running cluster as <c>results</c> fetches them.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var sources = new Argument<string[]>("sweeps")
        {
            Description = "Sweep output folders (the --out of run or results), each with trials.csv and trace.jsonl, or sweep ids of a running cluster (an argument that is no existing folder and holds no path separator is an id)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Also write compare.md, compare.png and compare.svg here" };
        var metrics = new Option<string[]>("--metric") { Description = "trials.csv column to tabulate arm by arm (repeatable; default: drift, reward, wall_seconds)", AllowMultipleArgumentsPerToken = true };
        var target = new ClusterTarget();
        var command = new Command("compare", "Compare sweeps, from their output folders alone or by sweep id from a running cluster (--gateway/--adonet, as results): Pareto fronts on one plot, hypervolumes against one shared reference point, a table per metric arm by arm, and each trial's trace id and span timings (task build, train, eval) from trace.jsonl. Exit 0; 2: a folder or file is missing or malformed (the message names it), or an unknown sweep id; 3: a sweep id was given and the cluster is unreachable.")
        {
            sources, output, metrics,
        };
        target.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var fetched = Path.Combine(Path.GetTempPath(), $"riskalign-compare-{Environment.ProcessId}-{Guid.NewGuid():N}");
            ClusterConnection? cluster = null;
            try
            {
                var sweeps = new List<SweepFolder>();
                foreach (var source in parse.GetRequiredValue(sources))
                {
                    if (IsFolder(source)) { sweeps.Add(SweepFolder.Load(source)); continue; } // as typed, for the report
                    cluster ??= await ConnectForIdAsync(target, parse, source, cancellationToken);
                    var folder = await FetchAsync(cluster, source, Path.Combine(fetched, source));
                    sweeps.Add(SweepFolder.Load(folder, $"{source} ({cluster.Description})"));
                }
                var comparison = SweepComparison.Of(sweeps);
                var chosen = parse.GetValue(metrics) is { Length: > 0 } m ? m : ComparisonMarkdownWriter.DefaultMetrics;
                string? plot = null;
                if (parse.GetValue(output) is { } outDir)
                {
                    OutputFolder.Prepare(outDir, overwrite: true);
                    ComparisonPlotter.Write(Path.Combine(outDir.FullName, "compare.png"), Path.Combine(outDir.FullName, "compare.svg"), comparison);
                    plot = "compare.png";
                    using var file = new StreamWriter(Path.Combine(outDir.FullName, "compare.md"));
                    ComparisonMarkdownWriter.Write(file, comparison, chosen, plot);
                }
                ComparisonMarkdownWriter.Write(Console.Out, comparison, chosen, plot);
                return 0;
            }
            catch (Exception e) when (e is ComparisonInputException || UserErrors.IsUserError(e))
            {
                return UserErrors.Report(e);
            }
            finally
            {
                if (cluster is not null) await cluster.DisposeAsync();
                if (Directory.Exists(fetched)) Directory.Delete(fetched, recursive: true);
            }
        });
        return command;
    }

    // A sweep id is a spec name plus a time stamp: never a path. Anything that exists as a folder or looks like a
    // path is a folder, so a mistyped folder is named as missing instead of being looked up on a cluster.
    private static bool IsFolder(string source) =>
        Directory.Exists(source) || source.Contains('/') || source.Contains('\\') || source.StartsWith('.') || File.Exists(source);

    private static async Task<ClusterConnection> ConnectForIdAsync(ClusterTarget target, ParseResult parse, string id, CancellationToken cancellationToken)
    {
        try
        {
            return await target.ConnectAsync(parse, cancellationToken);
        }
        catch (ClusterUnreachableException e)
        {
            throw new ClusterUnreachableException($"'{id}' is no folder here, so it was taken as a sweep id: {e.Message}", e.InnerException);
        }
    }

    /// <summary>Writes what compare reads (trials.csv, pareto.json, trace.jsonl) of sweep <paramref name="id"/> into <paramref name="folder"/>.</summary>
    private static async Task<string> FetchAsync(ClusterConnection cluster, string id, string folder)
    {
        var (sweep, snapshot) = await SweepLookup.FindAsync(cluster, id);
        if (snapshot.Status == SweepStatus.Running)
            Console.Error.WriteLine($"note: sweep {id} is still running; compared with the {snapshot.Finished}/{snapshot.Trials.Count} trials finished so far.");
        var directory = Directory.CreateDirectory(folder);
        var results = snapshot.Trials.Select(t => t.Result).OfType<TrialResult>().ToList();
        TrialsCsvWriter.Write(Path.Combine(folder, "trials.csv"), results);
        ParetoJsonWriter.Write(Path.Combine(folder, "pareto.json"), results);
        await SweepResults.WriteTraceAsync(sweep, directory);
        return folder;
    }
}
