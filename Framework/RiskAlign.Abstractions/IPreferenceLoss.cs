namespace RiskAlign.Abstractions;

/// <summary>
/// A preference-optimisation loss (DPO, TDPO, Ra-DPO, ...): maps a batch of chosen/rejected pairs to one loss per pair.
/// How the per-pair losses become the training objective is the uncertainty set's business.
/// </summary>
public interface IPreferenceLoss : IPlugin
{
    /// <summary>What the batch must carry for this loss.</summary>
    BatchRequirements Requirements { get; }

    /// <summary>Per-pair losses and implicit rewards.</summary>
    /// <param name="batch">The pairs, with policy and reference log-probs.</param>
    /// <param name="parameters">This trial's values of <see cref="IPlugin.Parameters"/>.</param>
    PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters);
}
