using RiskAlign.Framework.Pareto;
using RiskAlign.Framework.Sweeps;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// One setting (a <see cref="TrialGroup"/>: same arm and values, different seeds) with drift and reward over its
/// completed seeds as <see cref="ReplicateInterval"/>s. Seeds are replicates: the front of settings is taken on these
/// means, so a setting is judged on what it does on average, not on its luckiest seed.
/// </summary>
/// <param name="Completed">Seeds that completed with finite drift and reward (the intervals are over these).</param>
/// <param name="OnMeanFront">Whether no other setting's means dominate this one's (only settings with a completed seed take part).</param>
public sealed record SettingSummary(TrialGroup Group, int Completed, ReplicateInterval Drift, ReplicateInterval Reward, bool OnMeanFront)
{
    /// <summary>Every setting of <paramref name="results"/>, in order of its first trial.</summary>
    public static IReadOnlyList<SettingSummary> Of(IReadOnlyList<TrialResult> results)
    {
        var rows = TrialGroup.Of(results).Select(g =>
        {
            var done = ParetoFront.Eligible(g.Members).ToList();
            return (Group: g, Done: done.Count, Drift: ReplicateInterval.Of(done.Select(r => r.Drift)), Reward: ReplicateInterval.Of(done.Select(r => r.Reward)));
        }).ToList();
        var scored = rows.Where(r => r.Done > 0).ToList();
        return rows.Select(r => new SettingSummary(r.Group, r.Done, r.Drift, r.Reward,
            r.Done > 0 && !scored.Any(o => MultiObjectiveRank.Dominates((o.Drift.Mean, o.Reward.Mean), (r.Drift.Mean, r.Reward.Mean))))).ToList();
    }
}
