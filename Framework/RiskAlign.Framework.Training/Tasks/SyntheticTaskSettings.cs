using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Settings of the <c>synthetic</c> task (every key optional). Everything the task build depends on is here, so equal
/// settings give the same reference model and pairs. A new setting is a property here: its key, check and place in
/// the cache key follow from it (<see cref="TaskSettingsReader"/>).
/// </summary>
public sealed record SyntheticTaskSettings : TaskSettings
{
    /// <summary>Seed of the reward, the base distribution, the reference's SFT, the prompts and the labels.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>V, including the BOS token (id 0).</summary>
    [JsonPropertyName("vocab_size"), Range(4, 4096)] public int VocabularySize { get; init; } = 16;
    /// <summary>Prompt tokens after BOS.</summary>
    [Range(1, 256)] public int PromptLength { get; init; } = 4;
    /// <summary>Tokens in every response.</summary>
    [Range(1, 256)] public int ResponseLength { get; init; } = 8;
    /// <summary>Training pairs.</summary>
    [Range(1, int.MaxValue)] public int TrainPairs { get; init; } = 512;
    /// <summary>Held-out pairs (reward accuracy, sequential KL).</summary>
    [Range(1, int.MaxValue)] public int EvalPairs { get; init; } = 128;
    /// <summary>Held-out prompts sampled from the policy for <c>reward/true</c> and <c>kl/true</c>.</summary>
    [Range(1, int.MaxValue)] public int EvalSamples { get; init; } = 512;
    /// <summary>Width of the transformer.</summary>
    [JsonPropertyName("d_model"), Range(1, 4096)] public int ModelDim { get; init; } = 32;
    /// <summary>Transformer blocks.</summary>
    [Range(1, 64)] public int Layers { get; init; } = 2;
    /// <summary>Attention heads (a divisor of d_model).</summary>
    [Range(1, 64)] public int Heads { get; init; } = 2;
    /// <summary>Supervised steps that turn the random model into the reference.</summary>
    [Range(0, int.MaxValue)] public int SftSteps { get; init; } = 300;
    /// <summary>Sequences per SFT step.</summary>
    [Range(1, int.MaxValue)] public int SftBatchSize { get; init; } = 64;
    /// <summary>AdamW learning rate of the SFT.</summary>
    [Range(0, double.PositiveInfinity, MinimumIsExclusive = true)] public double SftLearningRate { get; init; } = 3e-3;
    /// <summary>Standard deviation of the per-token reward table.</summary>
    [Range(0, double.PositiveInfinity)] public double TokenRewardScale { get; init; } = 0.5;
    /// <summary>Reward added for each response token that also occurs in the prompt.</summary>
    public double PromptBonus { get; init; } = 0.5;
    /// <summary>A pretrained model to use as the reference instead of the SFT'd tiny transformer: a llama2.c .bin or a
    /// Hugging Face folder, relative to the assets folder unless absolute (for example
    /// <c>models/stories260k/stories260K.bin</c>). The vocabulary is then the model's and no SFT runs.</summary>
    [MinLength(1)] public string? Model { get; init; }
    /// <summary>Standard deviation of the base (bigram) distribution's logits; larger = less uniform reference.</summary>
    [Range(0, double.PositiveInfinity)] public double BaseTemperature { get; init; } = 1.5;

    /// <inheritdoc />
    protected internal override (string Setting, string Expected, object? Given)? CheckTogether() =>
        ModelDim % Heads != 0 ? ("heads", $"a divisor of d_model ({ModelDim})", Heads) : null;
}
