using RiskAlign.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

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

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        ParameterSpec.Real("tau", 1.0, "Temperature τ: large → DPO's mean, small → the highest-loss pairs.",
            minimum: 0, minimumExclusive: true, logScale: true),
        ParameterSpec.Choice("weights", Clamped, "'clamped' (official code, unnormalised, detached) or 'softmax' (normalised).", Clamped, Softmax),
        ParameterSpec.Real("clamp", 10.0, "Upper bound on a 'clamped' weight (official code: 10).", minimum: 0, minimumExclusive: true),
        ParameterSpec.Boolean("detach_weights", true,
            "'softmax' only: true stops the gradient through the weights (the gradient is then that of τ·log mean exp(l/τ)); false differentiates through them."),
    ];

    public BatchRequirements Requirements => BatchRequirements.PerPairLosses;

    public RobustObjective Aggregate(Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters)
    {
        // Scalars are held until their native calls return: an implicit one can be finalized mid-call (dotnet/TorchSharp#1434).
        using var tau = parameters.Real("tau").ToScalar();
        var l = perPairLoss; // [B]
        Tensor weights, loss;
        if (parameters.Choice("weights") == Softmax)
        {
            var source = parameters.Boolean("detach_weights") ? l.detach() : l;
            weights = softmax(source / tau, 0); // softmax subtracts the max: no overflow at small τ
            loss = (weights * l).sum();
        }
        else
        {
            var ld = l.detach();
            using var clamp = parameters.Real("clamp").ToScalar();
            weights = (ld - ld.mean()).div(tau).exp().clamp_max(clamp); // [B], detached
            loss = (weights * l).mean();
        }
        var w = weights.detach();
        return new RobustObjective(loss)
        {
            Metrics = new Dictionary<string, Tensor> { ["robust/max_weight"] = w.max(), ["robust/min_weight"] = w.min() },
        };
    }
}
