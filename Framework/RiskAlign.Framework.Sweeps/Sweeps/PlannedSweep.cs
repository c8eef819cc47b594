using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Sweeps;

/// <summary>A checked spec as the client launches it.</summary>
/// <param name="Trials">The trials expanded before launch, indexed 0..N−1 (none for nsga2 search, whose trials the sweep grain proposes).</param>
/// <param name="Search">What the sweep grain searches or stops on its own, or null for plain grid and random search.</param>
public sealed record PlannedSweep(IReadOnlyList<TrialDefinition> Trials, SearchPlan? Search)
{
    /// <summary>Trials the sweep will run in all, stopped ones included: the expanded ones plus the proposer's budget.</summary>
    public int TrialCount => Trials.Count + (Search?.ProposedTrials ?? 0);
}
