using RiskAlign.Abstractions;

namespace RiskAlign.Framework.Plugins;

/// <summary>The plugin instances a trial resolved from the catalog, each with its parameter values.</summary>
public sealed record TrialPlugins(
    IPreferenceLoss Loss,
    PluginParameters LossParameters,
    BoundRiskMeasure? Risk,
    IUncertaintySet UncertaintySet,
    PluginParameters UncertaintySetParameters)
{
    /// <summary>What the loss and the set together need the batch to carry.</summary>
    public BatchRequirements Requirements => Loss.Requirements | UncertaintySet.Requirements;
}
