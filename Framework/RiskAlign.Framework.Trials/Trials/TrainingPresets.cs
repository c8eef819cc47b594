namespace RiskAlign.Framework.Trials;

/// <summary>
/// The references' training recipes, by the name a spec cites (<c>"training": {"preset": "ra-dpo", ...}</c>); the
/// spec's own keys override the preset's. Values and sources are listed in docs/sweep-spec.md.
/// </summary>
public static class TrainingPresets
{
    /// <summary>Ra-DPO's official code: torch AdamW (weight decay 0.01, torch's default), warm-up from 0.1× over 150
    /// steps, then cosine decay, gradient clip 5.</summary>
    public const string RaDpo = "ra-dpo";
    /// <summary>The WDPO paper: AdamW betas (0.9, 0.95), gradient clip 1.0.</summary>
    public const string Wdpo = "wdpo";
    /// <summary>TRL's <c>DPOConfig</c> defaults: learning rate 1e-6, linear decay to 0, no warm-up, clip 1.0
    /// (TRL's β 0.1 is the loss's <c>beta</c> parameter, which is already its default).</summary>
    public const string Trl = "trl";

    /// <summary>Preset names, in the order docs list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [RaDpo, Wdpo, Trl];

    /// <summary>The preset's settings on top of the defaults, or null for an unknown name.</summary>
    public static TrainingSettings? Find(string name) => name switch
    {
        RaDpo => new TrainingSettings
        {
            Preset = RaDpo, WeightDecay = 0.01, WarmupSteps = 150, WarmupStartFactor = 0.1,
            Schedule = LearningRateSchedule.Cosine, MaxGradNorm = 5.0,
        },
        Wdpo => new TrainingSettings { Preset = Wdpo, Beta1 = 0.9, Beta2 = 0.95, MaxGradNorm = 1.0 },
        Trl => new TrainingSettings { Preset = Trl, LearningRate = 1e-6, Schedule = LearningRateSchedule.Linear, MaxGradNorm = 1.0 },
        _ => null,
    };
}
