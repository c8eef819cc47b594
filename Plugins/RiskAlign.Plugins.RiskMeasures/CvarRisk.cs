namespace RiskAlign.Plugins.RiskMeasures;

/// <summary>The CVaR risk term of the Ra-DPO reference code.</summary>
public sealed class CvarRisk : IRiskMeasure
{
    public const string VocabHalves = "vocab-halves";
    public const string WholeVocab = "whole-vocab";

    public string Name => "cvar";

    public string Description =>
        "CVaR as the Ra-DPO code computes it: Σ p_ref·d over the vocabulary entries with d = logp_ref − logp strictly above " +
        "the (1 − c) quantile of d (linear interpolation); 'vocab-halves' (default, as the published runs) does this on each half of the vocabulary and adds them.";

    private static readonly ParameterSpec ConfidenceLevel = ParameterSpec.Real("confidence_level", 0.95,
        "Confidence level c; VaR is the (1 − c) quantile of d over the vocabulary.", minimum: 0, maximum: 1, minimumExclusive: true, maximumExclusive: true);
    private static readonly ParameterSpec Variant = ParameterSpec.Choice("variant", VocabHalves,
        "'vocab-halves': apply to the first ⌊V/2⌋ entries and the rest separately and add (reference code default); 'whole-vocab': the whole vocabulary.",
        VocabHalves, WholeVocab);

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ConfidenceLevel, Variant];

    public Tensor PerPosition(Tensor referenceLogProbs, Tensor policyLogProbs, PluginParameters parameters)
    {
        double c = parameters.Real(ConfidenceLevel);
        string variant = parameters.Choice(Variant);
        long v = referenceLogProbs.shape[^1];
        if (variant == WholeVocab || v < 2) return Tail(referenceLogProbs, policyLogProbs, 1 - c, parameters);
        long half = v / 2;
        return Tail(referenceLogProbs.narrow(-1, 0, half), policyLogProbs.narrow(-1, 0, half), 1 - c, parameters)
             + Tail(referenceLogProbs.narrow(-1, half, v - half), policyLogProbs.narrow(-1, half, v - half), 1 - c, parameters);
    }

    /// <summary>Σ_{v : d(v) > VaR} p_ref(v)·d(v) with VaR the q quantile of d along the last dimension. [N, T, V'] -> [N, T]</summary>
    private static Tensor Tail(Tensor referenceLogProbs, Tensor policyLogProbs, double q, PluginParameters parameters)
    {
        var d = referenceLogProbs - policyLogProbs;            // [N, T, V']
        var above = d.detach() > Quantile(d.detach(), q, parameters);      // [N, T, V'] bool; the mask carries no gradient
        return (referenceLogProbs.exp() * d * above.to_type(d.dtype)).sum(-1);
    }

    /// <summary>q quantile along the last dimension, linear interpolation between order statistics as torch.quantile. [.., V'] -> [.., 1]</summary>
    private static Tensor Quantile(Tensor x, double q, PluginParameters parameters)
    {
        long n = x.shape[^1];
        var sorted = x.sort(-1).Values;
        double pos = q * (n - 1);
        long lo = (long)Math.Floor(pos);
        long hi = Math.Min(lo + 1, n - 1);
        double frac = pos - lo;
        var a = sorted.narrow(-1, lo, 1);
        var b = sorted.narrow(-1, hi, 1);
        return a + parameters.Scalar(frac) * (b - a);
    }
}
