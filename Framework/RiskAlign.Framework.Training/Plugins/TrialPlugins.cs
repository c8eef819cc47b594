namespace RiskAlign.Framework.Plugins;

/// <summary>The plugin instances a trial resolved from the catalog, each with its parameter values.</summary>
public sealed record TrialPlugins
{
    /// <summary>Binds the plugins of one trial. The sweep planner refused any arm whose loss or set needs a risk measure
    /// and names none, so that case here is a programming error (this is the one check downstream of the planner).</summary>
    public TrialPlugins(IPreferenceLoss loss, PluginParameters lossParameters, BoundRiskMeasure? risk,
        IUncertaintySet uncertaintySet, PluginParameters uncertaintySetParameters)
    {
        if (((loss.Requirements | uncertaintySet.Requirements) & BatchRequirements.RiskMeasure) != 0 && risk is null)
            throw new InvalidOperationException(
                $"Invariant broken: '{loss.Name}' + '{uncertaintySet.Name}' need a risk measure and none was bound (the sweep planner refuses such arms).");
        Loss = loss;
        LossParameters = lossParameters;
        Risk = risk;
        UncertaintySet = uncertaintySet;
        UncertaintySetParameters = uncertaintySetParameters;
    }

    public IPreferenceLoss Loss { get; }
    public PluginParameters LossParameters { get; }
    public BoundRiskMeasure? Risk { get; }
    public IUncertaintySet UncertaintySet { get; }
    public PluginParameters UncertaintySetParameters { get; }

    /// <summary>What the loss and the set together need the batch to carry.</summary>
    public BatchRequirements Requirements => Loss.Requirements | UncertaintySet.Requirements;
}
