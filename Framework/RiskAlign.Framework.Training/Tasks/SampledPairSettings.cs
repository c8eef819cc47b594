using System.Globalization;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Settings shared by the tasks whose pairs are two reference samples per prompt labelled by Bradley–Terry on a text
/// reward (<c>stories-sentiment</c>, <c>emotion-shift</c>). Each task sets its own defaults.
/// </summary>
public sealed record SampledPairSettings
{
    /// <summary>Reference model: llama2.c .bin or Hugging Face folder, relative to the assets folder unless absolute.</summary>
    public string Model { get; init; } = "models/stories260k/stories260K.bin";
    /// <summary>Its tokenizer (any format TokenizerLoader reads), same path rules.</summary>
    public string Tokenizer { get; init; } = "models/stories260k/tok512.bin";
    /// <summary>Seed of prompts, samples and labels (not of training: that is the trial's seed).</summary>
    public int Seed { get; init; }
    /// <summary>Training pairs.</summary>
    public int TrainPairs { get; init; } = 512;
    /// <summary>Held-out pairs (reward accuracy, sequential KL).</summary>
    public int EvalPairs { get; init; } = 128;
    /// <summary>Held-out prompts the policy answers at every evaluation (reward and exact KL of its samples).</summary>
    public int EvalSamples { get; init; } = 256;
    /// <summary>Prompt tokens after BOS.</summary>
    public int PromptLength { get; init; } = 8;
    /// <summary>Tokens in every sampled response.</summary>
    public int ResponseLength { get; init; } = 24;
    /// <summary>Bradley–Terry scale: P(y1 ≻ y2) = σ(label_scale · (r(y1) − r(y2))).</summary>
    public double LabelScale { get; init; } = 5;

    /// <summary>The names these settings take.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["model", "tokenizer", "seed", "train_pairs", "eval_pairs", "eval_samples", "prompt_length", "response_length", "label_scale"];

    /// <summary>These settings with <paramref name="setting"/> applied, or null when it is not one of <see cref="Names"/>.</summary>
    internal SampledPairSettings? TryApply(TaskSetting setting) => setting.Name switch
    {
        "model" => this with { Model = setting.Path() },
        "tokenizer" => this with { Tokenizer = setting.Path() },
        "seed" => this with { Seed = setting.Int(0) },
        "train_pairs" => this with { TrainPairs = setting.Int(1) },
        "eval_pairs" => this with { EvalPairs = setting.Int(1) },
        "eval_samples" => this with { EvalSamples = setting.Int(1) },
        "prompt_length" => this with { PromptLength = setting.Int(1, 256) },
        "response_length" => this with { ResponseLength = setting.Int(1, 256) },
        "label_scale" => this with { LabelScale = setting.Real(0, exclusive: true) },
        _ => null,
    };

    /// <summary>Canonical text of every value (part of the cache key of built tasks).</summary>
    public string CacheKey => string.Join(";", new object[] { Model, Tokenizer, Seed, TrainPairs, EvalPairs, EvalSamples, PromptLength, ResponseLength, LabelScale }
        .Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)));
}
