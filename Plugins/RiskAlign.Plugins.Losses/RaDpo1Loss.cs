namespace RiskAlign.Plugins.Losses;

/// <summary>Ra-DPO1 (Zhang et al.): TDPO1 with the sequential risk ratio of the trial's risk measure.</summary>
public sealed class RaDpo1Loss : IPreferenceLoss
{
    public string Name => "ra-dpo1";

    public string Description =>
        "Ra-DPO1: −logσ(β·((M_c − M_r) − (R_r − R_c))) with R the sequential risk ratio of the trial's risk measure; rewards β·(M + R).";

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [LossMath.BetaSpec];

    public BatchRequirements Requirements => BatchRequirements.RiskMeasure;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters) =>
        LossMath.TokenLevel(batch, batch.SequenceRisk, parameters, withAlpha: false, "risk");
}
