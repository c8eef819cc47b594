namespace RiskAlign.Framework.Trials;

/// <summary>Optimiser and schedule of one trial. Defaults reproduce the trainer's original recipe (AdamW without
/// weight decay, constant rate, clip 10); named presets (<see cref="TrainingPresets"/>) give the references' recipes.</summary>
public sealed record TrainingSettings
{
    /// <summary>The preset the spec cited (<c>ra-dpo</c>, <c>wdpo</c>, <c>trl</c>), or null; informational once applied.</summary>
    public string? Preset { get; init; }
    /// <summary>Optimizer steps.</summary>
    public int Steps { get; init; } = 200;
    /// <summary>Pairs per micro-batch (per forward/backward); a step takes <see cref="GradientAccumulationSteps"/> of them.</summary>
    public int BatchSize { get; init; } = 16;
    /// <summary>Micro-batches whose gradients are accumulated into one optimizer step (TRL's <c>gradient_accumulation_steps</c>).</summary>
    public int GradientAccumulationSteps { get; init; } = 1;
    /// <summary>Which pairs share an uncertainty set's coupling (KLDPO's weights, Dr-DPO's soft-min, a root-mean penalty).</summary>
    public RobustGroup RobustGroup { get; init; } = RobustGroup.MicroBatch;
    /// <summary>AdamW peak learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;
    /// <summary>AdamW decoupled weight decay (TorchSharp's default 0; torch's default is 0.01).</summary>
    public double WeightDecay { get; init; } = 0.0;
    /// <summary>AdamW β₁.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>AdamW β₂.</summary>
    public double Beta2 { get; init; } = 0.999;
    /// <summary>AdamW ε.</summary>
    public double Epsilon { get; init; } = 1e-8;
    /// <summary>Linear warm-up steps W (0 = none); exclusive with <see cref="WarmupRatio"/>.</summary>
    public int WarmupSteps { get; init; } = 0;
    /// <summary>Warm-up as a fraction of <see cref="Steps"/> (W = ceil(ratio·steps), as transformers); 0 = use <see cref="WarmupSteps"/>.</summary>
    public double WarmupRatio { get; init; } = 0.0;
    /// <summary>Rate factor the warm-up starts from, s₀: step i (1-based) of W uses s₀ + (1 − s₀)·i/W.</summary>
    public double WarmupStartFactor { get; init; } = 0.0;
    /// <summary>Decay after the warm-up.</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;
    /// <summary>Floor of the decay as a fraction of the peak rate (linear and cosine end there).</summary>
    public double MinLearningRateRatio { get; init; } = 0.0;
    /// <summary>Global gradient-norm clip (0 = none).</summary>
    public double MaxGradNorm { get; init; } = 10.0;
    /// <summary>Evaluate every this many steps (and always at the end).</summary>
    public int EvalEvery { get; init; } = 50;
    /// <summary>Log train metrics every this many steps (0 = never).</summary>
    public int LogEvery { get; init; } = 0;
    /// <summary>Seed of data order, initialisation and sampling.</summary>
    public int Seed { get; init; } = 0;
    /// <summary>Forward precision of policy, reference, SFT and evaluation (<c>fp32</c>, <c>bf16</c>, <c>tf32</c>).</summary>
    public TrainingPrecision Precision { get; init; } = TrainingPrecision.Fp32;
    /// <summary>LoRA adapters instead of a full fine-tune, or null (full fine-tune).</summary>
    public LoraSettings? Lora { get; init; }
    /// <summary>Which trials write their trained policy as a Hugging Face folder.</summary>
    public TrialSave Save { get; init; } = TrialSave.None;
    /// <summary>The folder the saved policies go under (one subfolder per trial, named by its id); null = the sweep's
    /// output folder's <c>models</c> when the client knows it, else <c>runs/{sweep id}/models</c> where the trial runs.</summary>
    public string? SaveFolder { get; init; }
    /// <summary>Which device slots the trial may take (<c>any</c>: GPU first, then CPU).</summary>
    public TrialDevice Device { get; init; } = TrialDevice.Any;
    /// <summary>How long the trial may hold its device slot before it is stopped (<see cref="TrialStatus.Stopped"/>,
    /// evaluations so far kept); null = no limit.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Warm-up length in steps, from <see cref="WarmupSteps"/> or <see cref="WarmupRatio"/>.</summary>
    public int EffectiveWarmupSteps => WarmupRatio > 0 ? (int)Math.Ceiling(WarmupRatio * Steps) : WarmupSteps;

    /// <summary>The factor of <see cref="LearningRate"/> at optimizer step <paramref name="step"/> (0-based).</summary>
    public double LearningRateFactor(int step)
    {
        int warmup = EffectiveWarmupSteps;
        if (step < warmup) return WarmupStartFactor + (1 - WarmupStartFactor) * ((step + 1.0) / warmup);
        if (Schedule == LearningRateSchedule.Constant) return 1.0;
        double progress = Math.Clamp((double)(step - warmup) / Math.Max(1, Steps - warmup), 0, 1);
        double shape = Schedule == LearningRateSchedule.Linear ? 1 - progress : 0.5 * (1 + Math.Cos(Math.PI * progress));
        return MinLearningRateRatio + (1 - MinLearningRateRatio) * shape;
    }
}

/// <summary>Decay of the learning rate after the warm-up.</summary>
public enum LearningRateSchedule
{
    /// <summary>The peak rate to the end.</summary>
    Constant,
    /// <summary>Linear from the peak to the floor at the last step.</summary>
    Linear,
    /// <summary>Half a cosine from the peak to the floor at the last step.</summary>
    Cosine,
}

/// <summary>Which pairs an uncertainty set aggregates together when a step accumulates micro-batches.</summary>
public enum RobustGroup
{
    /// <summary>Each micro-batch on its own; the step objective is the mean of the micro-batch objectives (the official KLDPO/Dr-DPO code).</summary>
    MicroBatch,
    /// <summary>All pairs of the optimizer step together (forwarded as one batch of k·B pairs: no memory saving).</summary>
    Step,
}
