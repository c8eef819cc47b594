namespace RiskAlign.Plugins.RiskMeasures;

/// <summary>Entropic risk measure (ERM) of d = logp_ref − logp under p_ref.</summary>
public sealed class EntropicRisk : IRiskMeasure
{
    public string Name => "entropic";

    public string Description =>
        "Entropic risk: (1/γ)·log Σ_v p_ref(v)·exp(γ·(logp_ref(v) − logp(v))), via logsumexp; tends to the per-token KL as γ → 0.";

    private static readonly ParameterSpec Gamma = ParameterSpec.Real("gamma", 1.0,
        "Risk aversion γ: larger weights the tokens where the policy undershoots the reference more.", minimum: 0, minimumExclusive: true, logScale: true);

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [Gamma];

    public Tensor PerPosition(Tensor referenceLogProbs, Tensor policyLogProbs, PluginParameters parameters)
    {
        var gamma = parameters.Scalar(Gamma);
        var d = referenceLogProbs - policyLogProbs;                          // [N, T, V]
        return logsumexp(gamma * d + referenceLogProbs, -1) / gamma;         // [N, T]
    }
}
