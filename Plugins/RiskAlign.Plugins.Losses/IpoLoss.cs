using RiskAlign.Abstractions;
using TorchSharp;

namespace RiskAlign.Plugins.Losses;

/// <summary>IPO (Azar et al.) as TRL computes it from summed log-ratios.</summary>
public sealed class IpoLoss : IPreferenceLoss
{
    public string Name => "ipo";

    public string Description =>
        "IPO: (h − 1/(2β))² with h = M_c − M_r (summed response log-ratios, as TRL's ipo); rewards β·M.";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [LossMath.BetaSpec];

    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters)
    {
        double beta = parameters.Real("beta");
        // Scalars are held until their native calls return: an implicit one can be finalized mid-call (dotnet/TorchSharp#1434).
        using var betaScalar = beta.ToScalar();
        using var target = (1 / (2 * beta)).ToScalar();
        var h = LossMath.LogRatioMargin(batch); // [B]
        var loss = (h - target).square();
        var rewards = (betaScalar * batch.SequenceLogRatio).detach();
        return new PreferenceLossOutput(loss, batch.Chosen(rewards), batch.Rejected(rewards));
    }
}
