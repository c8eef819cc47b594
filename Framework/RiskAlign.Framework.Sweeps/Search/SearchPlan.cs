using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Sweeps;

/// <summary>
/// What a sweep grain needs to search and stop trials on its own, as plain data the planner fills from a checked spec:
/// the NSGA-II arms to propose settings for (empty for grid and random search, whose trials are all expanded before
/// launch) and the ASHA rungs. It travels in the sweep request and is persisted with the sweep, so a reactivated grain
/// continues where it stopped.
/// </summary>
public sealed record SearchPlan
{
    /// <summary>Arms whose settings NSGA-II proposes while the sweep runs, in declared order; empty when none.</summary>
    public IReadOnlyList<SearchArmPlan> Arms { get; init; } = [];
    /// <summary>Settings proposed per arm (each runs once per seed).</summary>
    public int MaxTrials { get; init; }
    /// <summary>Seed of the sampler (not of training).</summary>
    public int Seed { get; init; }
    /// <summary>NSGA-II population size.</summary>
    public int Population { get; init; } = 2;
    /// <summary>Training seeds: every proposed setting runs once per seed, in this order.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [];
    /// <summary>Early stopping, or null for none.</summary>
    public AshaSettings? Asha { get; init; }
    /// <summary>ASHA's rung steps (<see cref="AshaPromotion.Rungs"/>), ascending; empty without ASHA.</summary>
    public IReadOnlyList<int> Rungs { get; init; } = [];

    /// <summary>Trials the proposer will create in all: arms · max_trials · seeds.</summary>
    public int ProposedTrials => Arms.Count * MaxTrials * Seeds.Count;
}

/// <summary>One arm NSGA-II searches: a complete trial (every fixed parameter and default filled in) whose
/// <see cref="Parameters"/> the proposer sets.</summary>
/// <param name="Template">The arm's trial; index, seed and the searched parameters are replaced per proposal.</param>
public sealed record SearchArmPlan(TrialDefinition Template, IReadOnlyList<SearchParameter> Parameters)
{
    /// <summary>The arm's name.</summary>
    public string Arm => Template.Arm;
}

/// <summary>Where a searched parameter lives in a trial.</summary>
public enum SearchedPlugin
{
    /// <summary><see cref="TrialDefinition.Loss"/>.</summary>
    Loss,
    /// <summary><see cref="TrialDefinition.Risk"/>.</summary>
    Risk,
    /// <summary><see cref="TrialDefinition.UncertaintySet"/>.</summary>
    UncertaintySet,
}

/// <summary>One searched parameter: the plugin it belongs to and its range. Dimension names are
/// <c>loss.beta</c>, <c>risk.alpha</c>, <c>set.rho</c>, so two plugins may share a parameter name.</summary>
public sealed record SearchParameter(SearchedPlugin Plugin, string Name, SearchDimension Dimension);
