namespace RiskAlign.Plugins.Losses;

/// Pieces shared by the losses of this assembly.
internal static class LossMath
{
    public static ParameterSpec BetaSpec { get; } = ParameterSpec.Real("beta", 0.1,
        "Inverse temperature of the implicit reward (deviation from the reference).",
        minimum: 0, minimumExclusive: true, logScale: true);

    public static ParameterSpec AlphaSpec { get; } = ParameterSpec.Real("alpha", 0.5,
        "Weight of the rejected-minus-chosen sequential term (chosen term stop-gradient). The official TDPO/Ra-DPO code has no upper bound; " +
        "α > 1 weighs the sequential KL/risk term more than the log-ratio margin.",
        minimum: 0);

    /// <summary>h = M_c - M_r, the DPO preference score <c>[B]</c>.</summary>
    public static Tensor LogRatioMargin(PreferenceBatch batch)
    {
        var m = batch.SequenceLogRatio; // [2B]
        return batch.Chosen(m) - batch.Rejected(m);
    }

    /// <summary>Token-level family (TDPO with X = K, Ra-DPO with X = R).
    /// Variant 1: z = (M_c - M_r) - (X_r - X_c); variant 2: z = (M_c - M_r) - α (X_r - sg(X_c)).
    /// Loss −logσ(β z); rewards β (M + X), detached. Metrics: the batch means of X_c and X_r under
    /// <paramref name="metricPrefix"/> + "/chosen", "/rejected", or none when the prefix is null (TDPO: the trainer already
    /// logs kl/seq_chosen and kl/seq_rejected for every loss and sums same-named metrics, so repeating them would double them).</summary>
    public static PreferenceLossOutput TokenLevel(PreferenceBatch batch, Tensor sequenceTerm, PluginParameters parameters, bool withAlpha,
        string? metricPrefix)
    {
        var betaScalar = parameters.Scalar(BetaSpec);
        var alphaScalar = withAlpha ? parameters.Scalar(AlphaSpec) : null;
        var m = batch.SequenceLogRatio;               // [2B]
        var xc = batch.Chosen(sequenceTerm);          // [B]
        var xr = batch.Rejected(sequenceTerm);        // [B]
        var h = batch.Chosen(m) - batch.Rejected(m);  // [B]
        var z = alphaScalar is { } a ? h - a * (xr - xc.detach()) : h - (xr - xc);
        var loss = -nn.functional.logsigmoid(betaScalar * z);
        var rewards = (betaScalar * (m + sequenceTerm)).detach();
        var output = new PreferenceLossOutput(loss, batch.Chosen(rewards), batch.Rejected(rewards));
        return metricPrefix is null ? output : output with
        {
            Metrics = new Dictionary<string, Tensor>
            {
                [metricPrefix + "/chosen"] = xc.detach().mean(),
                [metricPrefix + "/rejected"] = xr.detach().mean(),
            },
        };
    }
}
