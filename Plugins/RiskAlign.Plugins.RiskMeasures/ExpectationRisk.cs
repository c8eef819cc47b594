namespace RiskAlign.Plugins.RiskMeasures;

/// <summary>The risk-neutral measure: exactly the per-token KL(π_ref ‖ π_θ), so Ra-DPO with it is TDPO.</summary>
public sealed class ExpectationRisk : IRiskMeasure
{
    public string Name => "expectation";

    public string Description =>
        "Risk-neutral: E_{p_ref}[logp_ref − logp] = the per-token KL(π_ref‖π_θ); Ra-DPO with it equals TDPO.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];

    public Tensor PerPosition(Tensor referenceLogProbs, Tensor policyLogProbs, PluginParameters parameters) =>
        // Same expression as PreferenceBatch.TokenKl, so the two agree bit for bit. [N, T, V] -> [N, T]
        (referenceLogProbs.exp() * (referenceLogProbs - policyLogProbs)).sum(-1);
}
