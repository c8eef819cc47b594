namespace RiskAlign.Plugins.UncertaintySets;

/// <summary>The empirical distribution itself: the mean of the per-pair losses.</summary>
public sealed class NominalSet : IUncertaintySet
{
    public string Name => "nominal";

    public string Description => "No robustness: the mean of the per-pair losses (plain ERM).";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    public BatchRequirements Requirements => BatchRequirements.None;

    public RobustObjective Aggregate(Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters) =>
        new(perPairLoss.mean());
}
