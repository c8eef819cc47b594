namespace RiskAlign.Plugins.UncertaintySets;

/// <summary>Dr-DPO (Wu et al., ICLR'25) as a set: a soft-min over the pairs, the other side of KLDPO's KL-ball family.</summary>
public sealed class DrSet : IUncertaintySet
{
    public string Name => "dr";

    public string Description =>
        "Dr-DPO's KL-DRO aggregate: −β′·log mean exp(−l/β′) over the n pairs, a soft-min that down-weights high-loss (likely flipped) pairs; " +
        "gradient weights softmax(−l/β′). Composes with every loss (dpo + dr is Dr-DPO). The pairs sharing it are set by training.robust_group.";

    private static readonly ParameterSpec BetaPrime = ParameterSpec.Real("beta_prime", 1.0,
        "β′ of Dr-DPO: large → the mean (nominal), small → the smallest pair loss (noisy labels down-weighted).", minimum: 0, minimumExclusive: true, logScale: true);

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [BetaPrime];

    public BatchRequirements Requirements => BatchRequirements.PerPairLosses;

    public RobustObjective Aggregate(Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters)
    {
        double betaPrime = parameters.Real(BetaPrime);
        var betaPrimeScalar = parameters.Scalar(betaPrime);
        var negativeBetaPrime = parameters.Scalar(-betaPrime);
        var logN = parameters.Scalar(Math.Log(perPairLoss.shape[0]));
        var l = perPairLoss;                                                   // [n]
        var loss = negativeBetaPrime * (logsumexp(-l / betaPrimeScalar, 0) - logN); // []
        var weights = softmax(-l.detach() / betaPrimeScalar, 0);              // [n], the gradient's weights
        return new RobustObjective(loss)
        {
            Metrics = new Dictionary<string, Tensor>
            {
                ["robust/mean_pair_loss"] = l.detach().mean(),
                ["robust/max_weight"] = weights.max(),
                ["robust/min_weight"] = weights.min(),
            },
        };
    }
}
