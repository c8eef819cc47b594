namespace RiskAlign.Abstractions;

/// <summary>A risk measure together with the parameter values a trial gives it.</summary>
public sealed record BoundRiskMeasure(IRiskMeasure Measure, PluginParameters Parameters)
{
    /// <summary>Per-position risk <c>[N, T]</c> of <c>d(v) = logp_ref(v) - logp(v)</c> under <c>p_ref</c>.</summary>
    public TorchSharp.torch.Tensor PerPosition(TorchSharp.torch.Tensor referenceLogProbs, TorchSharp.torch.Tensor policyLogProbs)
        => Measure.PerPosition(referenceLogProbs, policyLogProbs, Parameters);
}
