namespace RiskAlign.Framework.Trials;

/// <summary>Optimiser and schedule of one trial.</summary>
public sealed record TrainingSettings
{
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 200;
    /// <summary>Pairs per step (all pairs of a step share one KLDPO kernel).</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>AdamW learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>AdamW weight decay.</summary>
    public double WeightDecay { get; init; } = 0.0;
    /// <summary>Linear warm-up steps.</summary>
    public int WarmupSteps { get; init; } = 0;
    /// <summary>Global gradient-norm clip (0 = none).</summary>
    public double MaxGradNorm { get; init; } = 10.0;
    /// <summary>Evaluate every this many steps (and always at the end).</summary>
    public int EvalEvery { get; init; } = 50;
    /// <summary>Seed of data order, initialisation and sampling.</summary>
    public int Seed { get; init; } = 0;
    /// <summary>Forward precision of policy, reference, SFT and evaluation (<c>fp32</c>, <c>bf16</c>, <c>tf32</c>).</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Fp32;
}
