using RiskAlign.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace RiskAlign.Plugins.Losses;

/// Pieces shared by the losses of this assembly.
internal static class LossMath
{
    public static ParameterSpec BetaSpec { get; } = ParameterSpec.Real("beta", 0.1,
        "Inverse temperature of the implicit reward (deviation from the reference).",
        minimum: 0, minimumExclusive: true, logScale: true);

    public static ParameterSpec AlphaSpec { get; } = ParameterSpec.Real("alpha", 0.5,
        "Weight of the rejected-minus-chosen sequential term (chosen term stop-gradient).",
        minimum: 0, maximum: 1);

    /// <summary>h = M_c - M_r, the DPO preference score <c>[B]</c>.</summary>
    public static Tensor LogRatioMargin(PreferenceBatch batch)
    {
        var m = batch.SequenceLogRatio; // [2B]
        return batch.Chosen(m) - batch.Rejected(m);
    }

    /// <summary>Token-level family (TDPO with X = K, Ra-DPO with X = R).
    /// Variant 1: z = (M_c - M_r) - (X_r - X_c); variant 2: z = (M_c - M_r) - α (X_r - sg(X_c)).
    /// Loss −logσ(β z); rewards β (M + X), detached.</summary>
    public static PreferenceLossOutput TokenLevel(PreferenceBatch batch, Tensor sequenceTerm, double beta, double? alpha,
        string chosenMetric, string rejectedMetric)
    {
        var m = batch.SequenceLogRatio;               // [2B]
        var xc = batch.Chosen(sequenceTerm);          // [B]
        var xr = batch.Rejected(sequenceTerm);        // [B]
        var h = batch.Chosen(m) - batch.Rejected(m);  // [B]
        var z = alpha is { } a ? h - a * (xr - xc.detach()) : h - (xr - xc);
        var loss = -nn.functional.logsigmoid(beta * z);
        var rewards = (beta * (m + sequenceTerm)).detach();
        return new PreferenceLossOutput(loss, batch.Chosen(rewards), batch.Rejected(rewards))
        {
            Metrics = new Dictionary<string, Tensor>
            {
                [chosenMetric] = xc.detach().mean(),
                [rejectedMetric] = xr.detach().mean(),
            },
        };
    }

    public static Tensor SequenceRisk(PreferenceBatch batch) => batch.RiskMeasure is null
        ? throw new InvalidOperationException("This Ra-DPO loss needs a risk measure (cvar, entropic, expectation), but the trial names none: add \"risk\" to the sweep arm.")
        : batch.SequenceRisk;
}
