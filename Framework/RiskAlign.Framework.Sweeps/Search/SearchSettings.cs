namespace RiskAlign.Framework.Sweeps;

/// <summary>How a sweep picks the parameter values its trials run with.</summary>
public enum SearchSampler
{
    /// <summary>Every combination of the listed values and range grids (the default).</summary>
    Grid,
    /// <summary><see cref="SearchSettings.MaxTrials"/> independent draws per arm from a seeded generator.</summary>
    Random,
    /// <summary>NSGA-II (<see cref="Nsga2Sampler"/>): evolves the parameters towards the drift-vs-reward front. Needs ask/tell dispatch.</summary>
    Nsga2,
}

/// <summary>The <c>"search"</c> block of a spec (docs/sweep-spec.md); absent means grid search.</summary>
/// <param name="MaxTrials">Parameter draws per arm (each runs once per seed); null for grid search.</param>
/// <param name="Seed">Seed of the sampler's generator (not of training); same seed, same draws.</param>
/// <param name="Asha">Early stopping on the multi-objective rank, or null for none.</param>
public sealed record SearchSettings(SearchSampler Sampler, int? MaxTrials, int Seed, AshaSettings? Asha)
{
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
