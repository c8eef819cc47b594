namespace RiskAlign.Plugins.Losses;

/// <summary>TDPO2 (Zeng et al.): the chosen sequential KL is stop-gradient.</summary>
public sealed class Tdpo2Loss : IPreferenceLoss
{
    public string Name => "tdpo2";

    public string Description =>
        "TDPO2: −logσ(β·((M_c − M_r) − α·(K_r − sg(K_c)))), no gradient through the chosen sequential KL; rewards β·(M + K).";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [LossMath.BetaSpec, LossMath.AlphaSpec];

    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters) =>
        LossMath.TokenLevel(batch, batch.SequenceKl, parameters, withAlpha: true, metricPrefix: null);
}
