using RiskAlign.SweepClient.Cluster;
using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>results ID --out DIR</c>: the files <c>run</c> writes, from the results stored in the cluster.</summary>
internal static class ResultsCommand
{
    public static Command Create()
    {
        var id = CommonOptions.SweepId();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: runs/<sweep id>)" };
        var target = new ClusterTarget();
        var command = new Command("results", "Write the files run writes (trials.csv, history.csv, pareto.json, plots, report.md, trace.jsonl with each trial's spans as the silo that ran it recorded them) from the results the cluster stores, so any machine can fetch them and `compare` them; a running sweep gives the results so far. Exit 0: completed; 1: some trial failed; 2: unknown id or unwritable --out; 3: cluster unreachable; 130: the sweep was cancelled.") { id, output };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClusterTarget.GuardAsync(async () =>
        {
            var sweepId = parse.GetRequiredValue(id);
            var outDir = parse.GetValue(output) ?? new DirectoryInfo(Path.Combine("runs", sweepId));
            OutputFolder.Prepare(outDir);
            await using var cluster = await target.ConnectAsync(parse, cancellationToken);
            var (sweep, snapshot) = await SweepLookup.FindAsync(cluster, sweepId);
            if (snapshot.Status == SweepStatus.Running)
                AnsiConsole.MarkupLine($"[yellow]The sweep is still running: {snapshot.Finished}/{snapshot.Trials.Count} trials finished so far.[/]");
            return await SweepResults.WriteFromClusterAsync(AnsiConsole.Console, sweep, snapshot, outDir);
        }));
        return command;
    }
}
