using RiskAlign.Abstractions;
using TorchSharp;

namespace RiskAlign.Plugins.Losses;

/// <summary>DPO (Rafailov et al.) with optional conservative label smoothing.</summary>
public sealed class DpoLoss : IPreferenceLoss
{
    public string Name => "dpo";

    public string Description =>
        "DPO: −(1−ε)·logσ(β·h) − ε·logσ(−β·h) with h = M_c − M_r (summed response log-ratios); rewards β·M.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } =
    [
        LossMath.BetaSpec,
        ParameterSpec.Real("label_smoothing", 0.0, "ε of conservative DPO: assumed probability that a label is flipped.",
            minimum: 0, maximum: 0.5, maximumExclusive: true),
    ];

    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters)
    {
        double beta = parameters.Real("beta");
        double eps = parameters.Real("label_smoothing");
        // Scalars are held until their native calls return: an implicit one can be finalized mid-call (dotnet/TorchSharp#1434).
        using var betaScalar = beta.ToScalar();
        using var negativeBeta = (-beta).ToScalar();
        using var epsScalar = eps.ToScalar();
        using var negativeOneMinusEps = (-(1 - eps)).ToScalar();
        var h = LossMath.LogRatioMargin(batch); // [B]
        var loss = negativeOneMinusEps * torch.nn.functional.logsigmoid(betaScalar * h);
        if (eps > 0) loss = loss - epsScalar * torch.nn.functional.logsigmoid(negativeBeta * h);
        var rewards = (betaScalar * batch.SequenceLogRatio).detach(); // [2B]
        return new PreferenceLossOutput(loss, batch.Chosen(rewards), batch.Rejected(rewards));
    }
}
