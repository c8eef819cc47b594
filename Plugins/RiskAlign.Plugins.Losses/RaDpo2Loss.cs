namespace RiskAlign.Plugins.Losses;

/// <summary>Ra-DPO2 (Zhang et al.): the chosen sequential risk ratio is stop-gradient.</summary>
public sealed class RaDpo2Loss : IPreferenceLoss
{
    public string Name => "ra-dpo2";

    public string Description =>
        "Ra-DPO2: −logσ(β·((M_c − M_r) − α·(R_r − sg(R_c)))) with R the sequential risk ratio of the trial's risk measure; rewards β·(M + R).";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [LossMath.BetaSpec, LossMath.AlphaSpec];

    public BatchRequirements Requirements => BatchRequirements.RiskMeasure;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters) =>
        LossMath.TokenLevel(batch, batch.SequenceRisk, parameters, withAlpha: true, "risk");
}
