namespace RiskAlign.Plugins.UncertaintySets;

/// <summary>KLDPO (Xu et al., NeurIPS'25): worst case over a KL ball via an exponential re-weighting of the pairs.</summary>
public sealed class KlSet : IUncertaintySet
{
    public const string Clamped = "clamped";
    public const string Softmax = "softmax";

    public string Name => "kl";

    public string Description =>
        "KL ball (KLDPO): up-weights high-loss pairs. 'clamped' (official code): mean(w·l), w = min(exp((l − mean l)/τ), clamp) detached; " +
        "'softmax': Σ softmax(l/τ)·l. The pairs sharing the weights are those of one optimizer step (the batch given).";

    private static readonly ParameterSpec Tau = ParameterSpec.Real("tau", 1.0, "Temperature τ: large → DPO's mean, small → the highest-loss pairs.",
        minimum: 0, minimumExclusive: true, logScale: true);
    private static readonly ParameterSpec Weights = ParameterSpec.Choice("weights", Clamped,
        "'clamped' (official code, unnormalised, detached) or 'softmax' (normalised).", Clamped, Softmax);
    private static readonly ParameterSpec Clamp = ParameterSpec.Real("clamp", 10.0, "Upper bound on a 'clamped' weight (official code: 10).",
        minimum: 0, minimumExclusive: true);
    private static readonly ParameterSpec DetachWeights = ParameterSpec.Boolean("detach_weights", true,
        "'softmax' only: true stops the gradient through the weights (the gradient is then that of τ·log mean exp(l/τ)); false differentiates through them.");

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [Tau, Weights, Clamp, DetachWeights];

    public BatchRequirements Requirements => BatchRequirements.PerPairLosses;

    public RobustObjective Aggregate(Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters)
    {
        var tau = parameters.Scalar(Tau);
        var l = perPairLoss; // [B]
        Tensor weights, loss;
        if (parameters.Choice(Weights) == Softmax)
        {
            var source = parameters.Boolean(DetachWeights) ? l.detach() : l;
            weights = softmax(source / tau, 0); // softmax subtracts the max: no overflow at small τ
            loss = (weights * l).sum();
        }
        else
        {
            var ld = l.detach();
            weights = (ld - ld.mean()).div(tau).exp().clamp_max(parameters.Scalar(Clamp)); // [B], detached
            loss = (weights * l).mean();
        }
        var w = weights.detach();
        return new RobustObjective(loss)
        {
            Metrics = new Dictionary<string, Tensor> { ["robust/max_weight"] = w.max(), ["robust/min_weight"] = w.min() },
        };
    }
}
