namespace RiskAlign.Plugins.Losses;

/// <summary>TDPO1 (Zeng et al., token-level DPO).</summary>
public sealed class Tdpo1Loss : IPreferenceLoss
{
    public string Name => "tdpo1";

    public string Description =>
        "TDPO1: −logσ(β·((M_c − M_r) − (K_r − K_c))) with K the sequential KL(π_ref‖π_θ); rewards β·(M + K).";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [LossMath.BetaSpec];

    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters) =>
        LossMath.TokenLevel(batch, batch.SequenceKl, parameters, withAlpha: false, metricPrefix: null);
}
