using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// The trials of one setting: same arm, same task, same plugins and parameter values, same training settings,
/// different seeds. Curves are drawn one per group, averaged over its seeds.
/// </summary>
/// <param name="Arm">The arm all members belong to.</param>
/// <param name="Label">The parameters that vary across the sweep (seed excluded), from
/// <see cref="CompactLabels"/>; <c>-</c> when none does.</param>
/// <param name="Members">The trials, by index.</param>
public sealed record TrialGroup(string Arm, string Label, IReadOnlyList<TrialResult> Members)
{
    /// <summary>Arm and label, for legends: <c>dpo beta=0.1</c>, or the arm alone when nothing varies.</summary>
    public string Name => Label == "-" ? Arm : $"{Arm} {Label}";

    /// <summary>The groups of <paramref name="results"/>, ordered by their first trial's index.</summary>
    public static IReadOnlyList<TrialGroup> Of(IReadOnlyList<TrialResult> results)
    {
        var label = CompactLabels.For(results.Select(r => r.Trial).ToList(), includeSeed: false);
        return results.OrderBy(r => r.Trial.Index)
            .GroupBy(r => Key(r.Trial))
            .Select(g => new TrialGroup(g.First().Trial.Arm, label(g.First().Trial), g.ToList()))
            .ToList();
    }

    // Everything that defines a trial's setting except its index and seed, values in round-trip form.
    private static string Key(TrialDefinition trial)
    {
        var plugins = $"{trial.Loss.Name}|{trial.Risk?.Name}|{trial.UncertaintySet.Name}";
        var values = string.Join(";", ReportFormat.Parameters(trial).Select(p => $"{p.Column}={ReportFormat.Value(p.Value)}"));
        var task = $"{trial.Task.Name}|{trial.Task.Settings}"; // normalized by the planner: equal text = equal settings
        return $"{trial.Arm}\n{plugins}\n{values}\n{task}\n{trial.Training with { Seed = 0 }}";
    }
}
