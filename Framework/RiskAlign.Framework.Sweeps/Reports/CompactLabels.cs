using System.Globalization;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>Labels trials by what varies across the sweep (for example <c>beta=0.2 seed=1</c>), so tables and legends
/// stay narrow: the arm already names the loss, risk measure and set.</summary>
public static class CompactLabels
{
    /// <summary>
    /// A labeller for <paramref name="trials"/>: each trial's plugin parameters (and seed, unless
    /// <paramref name="includeSeed"/> is false) whose values differ somewhere in the collection, as <c>name=value</c>
    /// pairs joined by spaces; <c>-</c> when nothing shown varies.
    /// </summary>
    public static Func<TrialDefinition, string> For(IReadOnlyCollection<TrialDefinition> trials, bool includeSeed = true)
    {
        var varying = trials.SelectMany(t => Entries(t, includeSeed)).GroupBy(e => e.Key)
            .Where(g => g.Select(e => e.Value).Distinct().Count() > 1)
            .Select(g => g.Key).ToHashSet();
        return trial =>
        {
            var shown = Entries(trial, includeSeed).Where(e => varying.Contains(e.Key)).Select(e => $"{e.Key[(e.Key.IndexOf('.') + 1)..]}={e.Value}").ToList();
            return shown.Count == 0 ? "-" : string.Join(" ", shown);
        };
    }

    private static IEnumerable<KeyValuePair<string, string>> Entries(TrialDefinition trial, bool includeSeed)
    {
        foreach (var (prefix, choice) in new[] { ("loss", trial.Loss), ("risk", trial.Risk), ("set", trial.UncertaintySet) })
            if (choice is not null)
                foreach (var (name, value) in choice.Values)
                    yield return new($"{prefix}.{name}", value.ToString());
        if (includeSeed) yield return new("seed", trial.Training.Seed.ToString(CultureInfo.InvariantCulture));
    }
}
