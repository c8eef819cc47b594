using System.Globalization;
using RiskAlign.Framework.Reports;
using RiskAlign.SweepClient.Cluster;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>status ID</c>: a one-screen summary of a sweep on a running cluster.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var id = CommonOptions.SweepId();
        var target = new ClusterTarget();
        var command = new Command("status", "Print a one-screen summary of a sweep: its status, trials by status, each trial's progress or drift and reward, the front's hypervolume. Exit 0; 2: unknown id; 3: cluster unreachable.") { id };
        target.AddTo(command);
        command.SetAction((parse, cancellationToken) => ClusterTarget.GuardAsync(async () =>
        {
            await using var cluster = await target.ConnectAsync(parse, cancellationToken);
            var (_, snapshot) = await SweepLookup.FindAsync(cluster, parse.GetRequiredValue(id));
            Write(AnsiConsole.Console, snapshot);
            return 0;
        }));
        return command;
    }

    public static void Write(IAnsiConsole console, SweepSnapshot snapshot)
    {
        var counts = snapshot.Trials.GroupBy(t => t.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}");
        console.MarkupLine($"[bold]{Markup.Escape(snapshot.SweepId)}[/] ({Markup.Escape(snapshot.Name)}): [bold]{snapshot.Status}[/], " +
            $"{snapshot.Finished}/{Math.Max(snapshot.PlannedTrials, snapshot.Trials.Count)} trials finished ({string.Join(", ", counts)}); hypervolume {Format(snapshot.Hypervolume)}");
        var front = snapshot.FrontIndices.ToHashSet();
        var label = CompactLabels.For(snapshot.Trials.Select(t => t.Trial).ToList());
        var table = new Table().AddColumns("#", "arm", "params", "status", "step", "drift", "reward");
        foreach (var t in snapshot.Trials)
        {
            var r = t.Result;
            var completed = r?.Status == TrialStatus.Completed;
            table.AddRow((front.Contains(t.Trial.Index) ? "[green]*[/]" : " ") + t.Trial.Index, Markup.Escape(t.Trial.Arm), Markup.Escape(label(t.Trial)),
                t.Status.ToString(), $"{r?.StepsCompleted ?? t.Progress?.Step ?? 0}/{t.Trial.Training.Steps}",
                completed ? Format(r!.Drift) : "-", completed ? Format(r!.Reward) : "-");
        }
        console.Write(table);
    }

    private static string Format(double x) => double.IsNaN(x) ? "-" : x.ToString("G4", CultureInfo.InvariantCulture);
}
