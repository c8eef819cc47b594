using System.Globalization;

namespace RiskAlign.Framework.Tasks;

/// <summary>Settings of the <c>hh-rlhf</c> task (invariant-culture text, every key optional).</summary>
public sealed record HhRlhfSettings
{
    /// <summary>Reference model: llama2.c .bin or Hugging Face folder, relative to the assets folder unless absolute.</summary>
    public string Model { get; init; } = "models/stories260k/stories260K.bin";
    /// <summary>Its tokenizer (any format TokenizerLoader reads), same path rules.</summary>
    public string Tokenizer { get; init; } = "models/stories260k/tok512.bin";
    /// <summary>Seed of the train/eval draw.</summary>
    public int Seed { get; init; }
    public int TrainPairs { get; init; } = 256;
    public int EvalPairs { get; init; } = 64;
    /// <summary>Most tokens of prompt + response (BOS included); the prompt is cut from the left first.</summary>
    public int MaxLength { get; init; } = 96;
    /// <summary>Most prompt tokens (BOS included).</summary>
    public int MaxPromptLength { get; init; } = 64;

    public static IReadOnlyList<string> Names { get; } = ["model", "tokenizer", "seed", "train_pairs", "eval_pairs", "max_length", "max_prompt_length"];

    /// <summary>Parses settings; an unknown key or bad value throws <see cref="ArgumentException"/> naming it.</summary>
    public static HhRlhfSettings Parse(IReadOnlyDictionary<string, string>? settings)
    {
        var result = new HhRlhfSettings();
        foreach (var (name, raw) in settings ?? new Dictionary<string, string>())
        {
            string text = raw?.Trim() ?? "";
            int Int(int minimum) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= minimum
                ? v : throw new ArgumentException($"Task '{HhRlhfTask.TaskName}' setting '{name}': expected an integer >= {minimum}, got '{raw}'.");
            string Path() => text.Length > 0 ? text : throw new ArgumentException($"Task '{HhRlhfTask.TaskName}' setting '{name}': expected a path, got an empty string.");
            result = name switch
            {
                "model" => result with { Model = Path() },
                "tokenizer" => result with { Tokenizer = Path() },
                "seed" => result with { Seed = Int(0) },
                "train_pairs" => result with { TrainPairs = Int(1) },
                "eval_pairs" => result with { EvalPairs = Int(1) },
                "max_length" => result with { MaxLength = Int(4) },
                "max_prompt_length" => result with { MaxPromptLength = Int(2) },
                _ => throw new ArgumentException($"Task '{HhRlhfTask.TaskName}' has no setting '{name}'; known settings: {string.Join(", ", Names)}."),
            };
        }
        if (result.MaxPromptLength >= result.MaxLength)
            throw new ArgumentException($"Task '{HhRlhfTask.TaskName}' setting 'max_prompt_length': expected less than max_length ({result.MaxLength}), got {result.MaxPromptLength}.");
        return result;
    }

    /// <summary>Canonical text of every value (cache key of built tasks).</summary>
    public string CacheKey => string.Join(";", Model, Tokenizer, Seed, TrainPairs, EvalPairs, MaxLength, MaxPromptLength);
}
