using RiskAlign.Framework.Sweeps;

namespace RiskAlign.SweepClient.Running;

/// <summary>Labels trials by what varies across the sweep (for example <c>beta=0.2 seed=1</c>), so tables stay narrow:
/// the arm column already names the loss, risk measure and set.</summary>
internal static class CompactLabels
{
    public static Func<TrialDefinition, string> For(IReadOnlyCollection<TrialDefinition> trials)
    {
        var varying = trials.SelectMany(Entries).GroupBy(e => e.Key)
            .Where(g => g.Select(e => e.Value).Distinct().Count() > 1)
            .Select(g => g.Key).ToHashSet();
        return trial =>
        {
            var shown = Entries(trial).Where(e => varying.Contains(e.Key)).Select(e => $"{e.Key[(e.Key.IndexOf('.') + 1)..]}={e.Value}").ToList();
            return shown.Count == 0 ? "-" : string.Join(" ", shown);
        };
    }

    private static IEnumerable<KeyValuePair<string, string>> Entries(TrialDefinition trial)
    {
        foreach (var (prefix, choice) in new[] { ("loss", trial.Loss), ("risk", trial.Risk), ("set", trial.UncertaintySet) })
            if (choice is not null)
                foreach (var (name, value) in choice.Values)
                    yield return new($"{prefix}.{name}", value.ToString());
        yield return new("seed", trial.Training.Seed.ToString());
    }
}
