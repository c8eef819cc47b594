namespace RiskAlign.Plugins.Losses;

/// <summary>Dr-DPO (Wu et al., ICLR'25) as the legacy loss: the same objective as loss <c>dpo</c> with set <c>dr</c>, kept so
/// older specs run; only the nominal set composes with it (<see cref="BatchRequirements.AggregatedLoss"/>).</summary>
public sealed class DrDpoLoss : IPreferenceLoss
{
    public string Name => "dr-dpo";

    public string Description =>
        "Alias of loss 'dpo' with uncertainty set 'dr' (use those: every loss composes with 'dr'). Dr-DPO: −β′·(logsumexp(−l/β′) − ln n) " +
        "over the batch's n pairs (l = per-pair DPO loss); every entry of the per-pair output holds that objective, so only set 'nominal' composes with it. Rewards β·M.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        LossMath.BetaSpec,
        ParameterSpec.Real("beta_prime", 1.0, "β′ of Dr-DPO: large → DPO's mean, small → the smallest pair loss (noisy labels down-weighted).",
            minimum: 0, minimumExclusive: true, logScale: true),
    ];

    public BatchRequirements Requirements => BatchRequirements.AggregatedLoss;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters)
    {
        double betaPrime = parameters.Real("beta_prime");
        int n = batch.PairCount;
        var betaScalar = parameters.Scalar(LossMath.BetaSpec);
        var betaPrimeScalar = parameters.Scalar(betaPrime);
        var negativeBetaPrime = parameters.Scalar(-betaPrime);
        var logN = parameters.Scalar(Math.Log(n));
        var l = -torch.nn.functional.logsigmoid(betaScalar * LossMath.LogRatioMargin(batch)); // [B]
        var objective = negativeBetaPrime * (torch.logsumexp(-l / betaPrimeScalar, 0) - logN); // []
        // [B] whose mean is the objective and whose gradient is the objective's.
        var perPair = objective.expand(n);
        var rewards = (betaScalar * batch.SequenceLogRatio).detach();
        return new PreferenceLossOutput(perPair, batch.Chosen(rewards), batch.Rejected(rewards))
        {
            Metrics = new Dictionary<string, torch.Tensor> { ["dr_dpo/mean_pair_loss"] = l.detach().mean() },
        };
    }
}
