namespace RiskAlign.Plugins.Losses;

/// <summary>IPO (Azar et al.): summed log-ratios as the Dr_DPO / OpenRLHF code, or averaged over response tokens as TRL ≥ 0.8.</summary>
public sealed class IpoLoss : IPreferenceLoss
{
    public string Name => "ipo";

    public string Description =>
        "IPO: (h − 1/(2β))² with h = M_c − M_r; M is the summed response log-ratio (Dr_DPO / OpenRLHF code) or, with length_normalized, " +
        "its mean over the response's tokens (TRL ≥ 0.8's ipo). Rewards β·M (of the same form).";

    private static readonly ParameterSpec LengthNormalized = ParameterSpec.Boolean("length_normalized", false,
        "true: average each response's log-ratio over its tokens (TRL ≥ 0.8); false: sum it (Dr_DPO / OpenRLHF code, the original form).");

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [LossMath.BetaSpec, LengthNormalized];

    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters)
    {
        double beta = parameters.Real(LossMath.BetaSpec);
        var betaScalar = parameters.Scalar(beta);
        var target = parameters.Scalar(1 / (2 * beta));
        var m = batch.SequenceLogRatio; // [2B]
        if (parameters.Boolean(LengthNormalized)) m = m / batch.Mask.sum(1).clamp_min(parameters.Scalar(1.0)); // [2B], per-token mean
        var h = batch.Chosen(m) - batch.Rejected(m); // [B]
        var loss = (h - target).square();
        var rewards = (betaScalar * m).detach();
        return new PreferenceLossOutput(loss, batch.Chosen(rewards), batch.Rejected(rewards));
    }
}
