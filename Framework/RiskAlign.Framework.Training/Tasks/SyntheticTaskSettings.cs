using System.Globalization;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Settings of the <c>synthetic</c> task, parsed from <see cref="Sweeps.TaskChoice.Settings"/> (invariant-culture
/// text; every key optional). Everything the task build depends on is here, so equal settings give the same
/// reference model and pairs.
/// </summary>
public sealed record SyntheticTaskSettings
{
    /// <summary>Seed of the reward, the base distribution, the reference's SFT, the prompts and the labels.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>V, including the BOS token (id 0).</summary>
    public int VocabularySize { get; init; } = 16;
    /// <summary>Prompt tokens after BOS.</summary>
    public int PromptLength { get; init; } = 4;
    /// <summary>Tokens in every response.</summary>
    public int ResponseLength { get; init; } = 8;
    /// <summary>Training pairs.</summary>
    public int TrainPairs { get; init; } = 512;
    /// <summary>Held-out pairs (reward accuracy, sequential KL).</summary>
    public int EvalPairs { get; init; } = 128;
    /// <summary>Held-out prompts sampled from the policy for <c>reward/true</c> and <c>kl/true</c>.</summary>
    public int EvalSamples { get; init; } = 512;
    /// <summary>Width of the transformer.</summary>
    public int ModelDim { get; init; } = 32;
    /// <summary>Transformer blocks.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Attention heads.</summary>
    public int Heads { get; init; } = 2;
    /// <summary>Supervised steps that turn the random model into the reference.</summary>
    public int SftSteps { get; init; } = 300;
    /// <summary>Sequences per SFT step.</summary>
    public int SftBatchSize { get; init; } = 64;
    /// <summary>AdamW learning rate of the SFT.</summary>
    public double SftLearningRate { get; init; } = 3e-3;
    /// <summary>Standard deviation of the per-token reward table.</summary>
    public double TokenRewardScale { get; init; } = 0.5;
    /// <summary>Reward added for each response token that also occurs in the prompt.</summary>
    public double PromptBonus { get; init; } = 0.5;
    /// <summary>A pretrained model to use as the reference instead of the SFT'd tiny transformer: a llama2.c .bin or a
    /// Hugging Face folder, relative to the assets folder unless absolute (for example
    /// <c>models/stories260k/stories260K.bin</c>). The vocabulary is then the model's and no SFT runs.</summary>
    public string? Model { get; init; }
    /// <summary>Standard deviation of the base (bigram) distribution's logits; larger = less uniform reference.</summary>
    public double BaseTemperature { get; init; } = 1.5;

    private sealed record Key(string Name, string Expected, Func<SyntheticTaskSettings, string, SyntheticTaskSettings?> Apply);

    private static readonly Key[] Keys =
    [
        IntKey("seed", int.MinValue, (s, v) => s with { Seed = v }),
        IntKey("vocab_size", 4, (s, v) => s with { VocabularySize = v }, 4096),
        IntKey("prompt_length", 1, (s, v) => s with { PromptLength = v }, 256),
        IntKey("response_length", 1, (s, v) => s with { ResponseLength = v }, 256),
        IntKey("train_pairs", 1, (s, v) => s with { TrainPairs = v }),
        IntKey("eval_pairs", 1, (s, v) => s with { EvalPairs = v }),
        IntKey("eval_samples", 1, (s, v) => s with { EvalSamples = v }),
        IntKey("d_model", 1, (s, v) => s with { ModelDim = v }, 4096),
        IntKey("layers", 1, (s, v) => s with { Layers = v }, 64),
        IntKey("heads", 1, (s, v) => s with { Heads = v }, 64),
        IntKey("sft_steps", 0, (s, v) => s with { SftSteps = v }),
        IntKey("sft_batch_size", 1, (s, v) => s with { SftBatchSize = v }),
        RealKey("sft_learning_rate", (s, v) => s with { SftLearningRate = v }, positive: true),
        RealKey("token_reward_scale", (s, v) => s with { TokenRewardScale = v }),
        RealKey("prompt_bonus", (s, v) => s with { PromptBonus = v }, nonNegativeOnly: false),
        RealKey("base_temperature", (s, v) => s with { BaseTemperature = v }),
        new Key("model", "a path to a llama2.c .bin or a Hugging Face model folder", (s, text) => text.Length > 0 ? s with { Model = text } : null),
    ];

    /// <summary>The names of all settings, for messages and listings.</summary>
    public static IReadOnlyList<string> Names { get; } = Keys.Select(k => k.Name).ToArray();

    /// <summary>Parses settings; an unknown key or a bad value throws <see cref="ArgumentException"/> naming the key and what was expected.</summary>
    public static SyntheticTaskSettings Parse(IReadOnlyDictionary<string, string>? settings)
    {
        var result = new SyntheticTaskSettings();
        if (settings is null) return result;
        foreach (var (name, text) in settings.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var key = Keys.FirstOrDefault(k => k.Name == name)
                ?? throw new ArgumentException($"Task '{SyntheticPreferenceTask.TaskName}' has no setting '{name}'; known settings: {string.Join(", ", Names)}.");
            result = key.Apply(result, text?.Trim() ?? "")
                ?? throw new ArgumentException($"Task '{SyntheticPreferenceTask.TaskName}' setting '{name}': expected {key.Expected}, got '{text}'.");
        }
        if (result.ModelDim % result.Heads != 0)
            throw new ArgumentException($"Task '{SyntheticPreferenceTask.TaskName}' setting 'heads': expected a divisor of d_model ({result.ModelDim}), got '{result.Heads}'.");
        return result;
    }

    /// <summary>A canonical text of every value, used as the in-process cache key of built tasks.</summary>
    public string CacheKey => string.Join(";", new object[]
    {
        Seed, VocabularySize, PromptLength, ResponseLength, TrainPairs, EvalPairs, EvalSamples, ModelDim, Layers, Heads,
        SftSteps, SftBatchSize, SftLearningRate, TokenRewardScale, PromptBonus, BaseTemperature, Model ?? "",
    }.Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)));

    private static Key IntKey(string name, int minimum, Func<SyntheticTaskSettings, int, SyntheticTaskSettings> apply, int maximum = int.MaxValue)
    {
        string expected = minimum == int.MinValue ? "an integer" : maximum == int.MaxValue ? $"an integer >= {minimum}" : $"an integer in [{minimum}, {maximum}]";
        return new Key(name, expected, (s, text) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= minimum && v <= maximum ? apply(s, v) : null);
    }

    private static Key RealKey(string name, Func<SyntheticTaskSettings, double, SyntheticTaskSettings> apply, bool positive = false, bool nonNegativeOnly = true)
    {
        string expected = positive ? "a real number > 0" : nonNegativeOnly ? "a real number >= 0" : "a real number";
        return new Key(name, expected, (s, text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                && (!positive || v > 0) && (!nonNegativeOnly || positive || v >= 0)
                ? apply(s, v) : null);
    }
}
