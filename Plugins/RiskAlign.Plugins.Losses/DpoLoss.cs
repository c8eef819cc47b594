namespace RiskAlign.Plugins.Losses;

/// <summary>DPO (Rafailov et al.) with optional conservative label smoothing.</summary>
public sealed class DpoLoss : IPreferenceLoss
{
    public string Name => "dpo";

    public string Description =>
        "DPO: −(1−ε)·logσ(β·h) − ε·logσ(−β·h) with h = M_c − M_r (summed response log-ratios); rewards β·M.";

    private static readonly ParameterSpec LabelSmoothing = ParameterSpec.Real("label_smoothing", 0.0,
        "ε of conservative DPO: assumed probability that a label is flipped.", minimum: 0, maximum: 0.5, maximumExclusive: true);

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [LossMath.BetaSpec, LabelSmoothing];

    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters)
    {
        double beta = parameters.Real(LossMath.BetaSpec);
        double eps = parameters.Real(LabelSmoothing);
        var betaScalar = parameters.Scalar(beta);
        var negativeBeta = parameters.Scalar(-beta);
        var epsScalar = parameters.Scalar(eps);
        var negativeOneMinusEps = parameters.Scalar(-(1 - eps));
        var h = LossMath.LogRatioMargin(batch); // [B]
        var loss = negativeOneMinusEps * torch.nn.functional.logsigmoid(betaScalar * h);
        if (eps > 0) loss = loss - epsScalar * torch.nn.functional.logsigmoid(negativeBeta * h);
        var rewards = (betaScalar * batch.SequenceLogRatio).detach(); // [2B]
        return new PreferenceLossOutput(loss, batch.Chosen(rewards), batch.Rejected(rewards));
    }
}
