namespace RiskAlign.Abstractions;

/// <summary>
/// An uncertainty set over preference distributions: turns per-pair losses into the scalar objective that is
/// minimised — the empirical mean (nominal), the worst case over a KL ball (KLDPO), a Wasserstein ball (WDPO), ...
/// Any loss composes with any set.
/// </summary>
public interface IUncertaintySet : IPlugin
{
    /// <summary>What the batch must carry for this set.</summary>
    BatchRequirements Requirements { get; }

    /// <summary>The scalar objective.</summary>
    /// <param name="perPairLoss">Per-pair losses <c>[B]</c>, with grad.</param>
    /// <param name="batch">The batch they came from (for penalties that differentiate through it).</param>
    /// <param name="parameters">This trial's values of <see cref="IPlugin.Parameters"/>.</param>
    RobustObjective Aggregate(TorchSharp.torch.Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters);
}
