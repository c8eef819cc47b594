using System.ComponentModel.DataAnnotations;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Settings shared by the tasks whose pairs are two reference samples per prompt labelled by Bradley–Terry on a text
/// reward (<c>stories-sentiment</c>, <c>emotion-shift</c>): their records derive from this one, and may change its
/// defaults in their constructors.
/// </summary>
public abstract record SampledPairSettings : TaskSettings
{
    /// <summary>The default of <see cref="Model"/>: stories260K.</summary>
    public const string DefaultModel = "models/stories260k/stories260K.bin";

    /// <summary>Reference model: llama2.c .bin or Hugging Face folder, relative to the assets folder unless absolute.</summary>
    [MinLength(1)] public string Model { get; init; } = DefaultModel;
    /// <summary>Its tokenizer (any format TokenizerLoader reads), same path rules.</summary>
    [MinLength(1)] public string Tokenizer { get; init; } = "models/stories260k/tok512.bin";
    /// <summary>Seed of prompts, samples and labels (not of training: that is the trial's seed).</summary>
    [Range(0, int.MaxValue)] public int Seed { get; init; }
    /// <summary>Training pairs.</summary>
    [Range(1, int.MaxValue)] public int TrainPairs { get; init; } = 512;
    /// <summary>Held-out pairs (reward accuracy, sequential KL).</summary>
    [Range(1, int.MaxValue)] public int EvalPairs { get; init; } = 128;
    /// <summary>Held-out prompts the policy answers at every evaluation (reward and exact KL of its samples).</summary>
    [Range(1, int.MaxValue)] public int EvalSamples { get; init; } = 256;
    /// <summary>Prompt tokens after BOS.</summary>
    [Range(1, 256)] public int PromptLength { get; init; } = 8;
    /// <summary>Tokens in every sampled response.</summary>
    [Range(1, 256)] public int ResponseLength { get; init; } = 24;
    /// <summary>Bradley–Terry scale: P(y1 ≻ y2) = σ(label_scale · (r(y1) − r(y2))).</summary>
    [Range(0, double.PositiveInfinity, MinimumIsExclusive = true)] public double LabelScale { get; init; } = 5;
}
