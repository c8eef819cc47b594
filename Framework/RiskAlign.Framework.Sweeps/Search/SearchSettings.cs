namespace RiskAlign.Framework.Sweeps;

/// <summary>How a sweep picks the parameter values its trials run with.</summary>
public enum SearchSampler
{
    /// <summary>Every combination of the listed values and range grids (the default).</summary>
    Grid,
    /// <summary><see cref="SearchSettings.MaxTrials"/> independent draws per arm from a seeded generator.</summary>
    Random,
    /// <summary>NSGA-II (<see cref="Nsga2Sampler"/>): evolves the parameters towards the drift-vs-reward front; the sweep
    /// grain asks <see cref="SearchProposer"/> for the next setting whenever a slot is free.</summary>
    Nsga2,
}

/// <summary>The <c>"search"</c> block of a spec (docs/sweep-spec.md); absent means grid search.</summary>
/// <param name="MaxTrials">Parameter draws per arm (each runs once per seed); null for grid search.</param>
/// <param name="Seed">Seed of the sampler's generator (not of training); same seed, same draws.</param>
/// <param name="Asha">Early stopping on the multi-objective rank, or null for none.</param>
public sealed record SearchSettings(SearchSampler Sampler, int? MaxTrials, int Seed, AshaSettings? Asha)
{
    /// <summary>NSGA-II survivors and uniform draws before breeding (<c>"population"</c>, ≥ 2, ≤ max_trials); null for
    /// the default, <see cref="DefaultPopulation"/>.</summary>
    public int? Population { get; init; }

    /// <summary>The population NSGA-II uses for <paramref name="maxTrials"/> settings when the spec names none: a quarter
    /// of the budget, between 2 and 20 (Optuna's default is 50, too many for the budgets a sweep of trainings affords).</summary>
    public static int DefaultPopulation(int maxTrials) => Math.Clamp(maxTrials / 4, 2, 20);

    /// <summary>Grid search, no early stopping.</summary>
    public static SearchSettings Grid { get; } = new(SearchSampler.Grid, null, 0, null);

    /// <summary>The names the spec accepts for <see cref="SearchSampler"/>, in enum order.</summary>
    public static IReadOnlyList<string> SamplerNames { get; } = ["grid", "random", "nsga2"];
}

/// <summary>
/// Asynchronous successive halving (<see cref="AshaPromotion"/>): rungs at <c>GracePeriod·ReductionFactorᵏ</c> training
/// steps, below the sweep's total steps; at each rung a trial continues when it is in the best 1/ReductionFactor.
/// </summary>
public sealed record AshaSettings(int GracePeriod, int ReductionFactor);
