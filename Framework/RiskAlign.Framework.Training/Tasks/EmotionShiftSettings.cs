using System.ComponentModel.DataAnnotations;

namespace RiskAlign.Framework.Tasks;

/// <summary>Settings of the <c>emotion-shift</c> task (every key optional): the sampled-pair settings
/// (<see cref="SampledPairSettings"/>; prompts of 4 tokens after BOS as in the WDPO paper, responses of 20 tokens,
/// scale 10 because the rewards are probabilities) and the ones below. A new setting is a property here.</summary>
public sealed record EmotionShiftSettings : SampledPairSettings
{
    /// <summary>This task's defaults of the sampled-pair settings.</summary>
    public EmotionShiftSettings()
    {
        PromptLength = 4;
        ResponseLength = 20;
        LabelScale = 10;
    }

    /// <summary>α₀: the training labels come from α₀·anger + (1−α₀)·fear (0.1 in the paper: fear-heavy).</summary>
    [Range(0.0, 1.0)] public double Alpha { get; init; } = 0.1;

    /// <summary>The mixes every evaluation scores the policy's texts under (the preference-shift curve); a JSON array
    /// (a comma-separated string is also read), kept sorted and without repeats.</summary>
    [Range(0.0, 1.0)]
    public IReadOnlyList<double> EvalAlphas { get; init => field = [.. value.Distinct().Order()]; } = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

    /// <summary><c>convex</c>: α·p(anger) + (1−α)·p(fear); <c>geometric</c>: p(anger)^α · p(fear)^(1−α).</summary>
    [AllowedValues("convex", "geometric")] public string Mix { get; init; } = "convex";

    /// <summary>Supervised steps that fit the pretrained model to the emotion texts (the paper's SFT stage).</summary>
    [Range(0, int.MaxValue)] public int SftSteps { get; init; } = 300;
    /// <summary>Sequences per SFT step.</summary>
    [Range(1, int.MaxValue)] public int SftBatchSize { get; init; } = 32;
    /// <summary>AdamW learning rate of the SFT.</summary>
    [Range(0, double.PositiveInfinity, MinimumIsExclusive = true)] public double SftLearningRate { get; init; } = 1e-3;
    /// <summary>Most tokens (BOS included) of an SFT text; longer ones are cut.</summary>
    [Range(2, int.MaxValue)] public int SftMaxLength { get; init; } = 48;

    /// <summary>Training texts of the emotion classifier (a seeded subset; 0 = all 16,000).</summary>
    [Range(0, int.MaxValue)] public int ClassifierTrainExamples { get; init; }
    /// <summary>Passes of the classifier over its training texts.</summary>
    [Range(1, int.MaxValue)] public int ClassifierEpochs { get; init; } = 10;
}
