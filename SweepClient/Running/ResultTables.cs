using System.Globalization;
using RiskAlign.Framework.Reports;

namespace RiskAlign.SweepClient.Running;

/// <summary>The trials table and the Pareto front table printed at the end of a run.</summary>
internal static class ResultTables
{
    public static void Write(IAnsiConsole console, SweepSnapshot snapshot)
    {
        var results = snapshot.Trials.Select(t => t.Result).OfType<TrialResult>().OrderBy(r => r.Trial.Index).ToList();
        if (results.Count == 0) { console.MarkupLine("[yellow]No trial finished.[/]"); return; }
        // A trial that failed before its first evaluation carries no metric names; take them from one that has them.
        var named = results.FirstOrDefault(r => r.DriftMetric.Length > 0) ?? results[0];
        string drift = named.DriftMetric.Length > 0 ? named.DriftMetric : "drift", reward = named.RewardMetric.Length > 0 ? named.RewardMetric : "reward";
        var front = snapshot.FrontIndices.ToHashSet();
        var label = CompactLabels.For(snapshot.Trials.Select(t => t.Trial).ToList());

        var table = new Table().Title("[bold]Trials[/]").AddColumns("#", "arm", "params", "status", drift, reward, "acc", "kl/seq_c", "s");
        foreach (var r in results)
        {
            table.AddRow(
                (front.Contains(r.Trial.Index) ? "[green]*[/]" : " ") + r.Trial.Index,
                Markup.Escape(r.Trial.Arm),
                Markup.Escape(label(r.Trial)),
                r.Status == TrialStatus.Completed ? "ok" : $"[red]{r.Status}[/]" + (r.Error is null ? "" : $" {Markup.Escape(Shorten(r.Error))}"),
                // drift and reward are final values: a trial that did not complete has none (history.csv has its evaluations).
                r.Status == TrialStatus.Completed ? Format(r.Drift) : "-", r.Status == TrialStatus.Completed ? Format(r.Reward) : "-",
                Format(Final(r, "rewards/accuracies")), Format(Final(r, "kl/seq_chosen")),
                r.WallSeconds.ToString("F1", CultureInfo.InvariantCulture));
        }
        console.Write(table);
        console.MarkupLine("[green]*[/] on the Pareto front; acc = rewards/accuracies, kl/seq_c = kl/seq_chosen (held-out pairs); full rows in trials.csv.");

        var pareto = new Table().Title($"[bold]Pareto front[/] (minimise {Markup.Escape(drift)}, maximise {Markup.Escape(reward)}; hypervolume {Format(snapshot.Hypervolume)})")
            .AddColumns("#", "arm", "params", drift, reward);
        foreach (var r in results.Where(r => front.Contains(r.Trial.Index)).OrderBy(r => r.Drift))
            pareto.AddRow(r.Trial.Index.ToString(), Markup.Escape(r.Trial.Arm), Markup.Escape(label(r.Trial)), Format(r.Drift), Format(r.Reward));
        console.Write(pareto);
    }

    private static double Final(TrialResult r, string metric) =>
        r.Evaluations.Count > 0 && r.Evaluations[^1].Metrics.TryGetValue(metric, out var v) ? v : double.NaN;

    private static string Format(double x) => double.IsNaN(x) ? "-" : x.ToString("G4", CultureInfo.InvariantCulture);

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
