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

    /// <summary>Starts the evaluation of this set's objective over held-out pairs that arrive in chunks. The default
    /// (<see cref="PairWeightedEvaluation"/>) averages each chunk's <see cref="Aggregate"/> weighted by its pairs, exact for
    /// an objective that is a mean of per-pair terms; a set whose objective is not overrides it, so that the value does
    /// not depend on the chunking.</summary>
    /// <param name="parameters">This trial's values of <see cref="IPlugin.Parameters"/>.</param>
    IEvaluationAccumulator BeginEvaluation(PluginParameters parameters) => new PairWeightedEvaluation(this, parameters);
}
