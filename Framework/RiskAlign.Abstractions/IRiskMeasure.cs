using static TorchSharp.torch;

namespace RiskAlign.Abstractions;

/// <summary>
/// A (nested) risk measure for Ra-DPO. At every response position it maps the log-ratio
/// <c>d(v) = logp_ref(v) - logp(v)</c> over the vocabulary, weighted by the reference distribution
/// <c>p_ref = exp(logp_ref)</c>, to one number; the batch sums these along each response (the sequential risk ratio).
/// The expectation measure gives exactly the per-token KL(π_ref ‖ π_θ).
/// </summary>
public interface IRiskMeasure : IPlugin
{
    /// <summary>Per-position risk.</summary>
    /// <param name="referenceLogProbs">Reference log-probs <c>[N, T, V]</c>, float32, no grad.</param>
    /// <param name="policyLogProbs">Policy log-probs <c>[N, T, V]</c>, float32, with grad.</param>
    /// <param name="parameters">This trial's values of <see cref="IPlugin.Parameters"/>.</param>
    /// <returns><c>[N, T]</c>, differentiable with respect to the policy log-probs.</returns>
    Tensor PerPosition(Tensor referenceLogProbs, Tensor policyLogProbs, PluginParameters parameters);
}
