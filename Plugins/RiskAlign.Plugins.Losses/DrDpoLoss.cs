using RiskAlign.Abstractions;
using TorchSharp;

namespace RiskAlign.Plugins.Losses;

/// <summary>Dr-DPO (Wu et al., ICLR'25): a KL-DRO aggregate over the batch's DPO losses that down-weights high-loss pairs.</summary>
public sealed class DrDpoLoss : IPreferenceLoss
{
    public string Name => "dr-dpo";

    public string Description =>
        "Dr-DPO: −β′·(logsumexp(−l/β′) − ln n) over n pairs (l = per-pair DPO loss), which down-weights high-loss (likely flipped) pairs; " +
        "the pairs sharing it are the pairs of one optimizer step (the batch given), and every entry of the per-pair output holds that objective. Rewards β·M.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        LossMath.BetaSpec,
        ParameterSpec.Real("beta_prime", 1.0, "β′ of Dr-DPO: large → DPO's mean, small → the smallest pair loss (noisy labels down-weighted).",
            minimum: 0, minimumExclusive: true, logScale: true),
    ];

    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters)
    {
        double beta = parameters.Real("beta");
        double betaPrime = parameters.Real("beta_prime");
        int n = batch.PairCount;
        // Scalars are held until their native calls return: an implicit one can be finalized mid-call (dotnet/TorchSharp#1434).
        using var betaScalar = beta.ToScalar();
        using var betaPrimeScalar = betaPrime.ToScalar();
        using var negativeBetaPrime = (-betaPrime).ToScalar();
        using var logN = Math.Log(n).ToScalar();
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
