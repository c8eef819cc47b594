using System.Globalization;

namespace RiskAlign.Framework.Tasks;

/// <summary>Settings of the <c>hh-rlhf</c> task and of <c>preference-pairs</c>, the same task on your own file
/// (invariant-culture text, every key optional).</summary>
public sealed record HhRlhfSettings
{
    /// <summary>Reference model: llama2.c .bin or Hugging Face folder, relative to the assets folder unless absolute.</summary>
    public string Model { get; init; } = "models/stories260k/stories260K.bin";
    /// <summary>Its tokenizer (any format TokenizerLoader reads), same path rules.</summary>
    public string Tokenizer { get; init; } = "models/stories260k/tok512.bin";
    /// <summary>The pairs: one file or several separated by commas, same path rules; null = the four HH-RLHF test
    /// splits of the assets folder.</summary>
    public string? Data { get; init; }
    /// <summary>Format of <see cref="Data"/>: <c>hh-rlhf</c> (chosen/rejected transcripts), <c>sharegpt</c>
    /// (LLaMA-Factory DPO) or <c>jsonl</c> (prompt/chosen/rejected lines).</summary>
    public string Format { get; init; } = "hh-rlhf";
    /// <summary>Seed of the train/eval draw.</summary>
    public int Seed { get; init; }
    public int TrainPairs { get; init; } = 256;
    public int EvalPairs { get; init; } = 64;
    /// <summary>Most tokens of prompt + response (BOS included); the prompt is cut from the left first.</summary>
    public int MaxLength { get; init; } = 96;
    /// <summary>Most prompt tokens (BOS included).</summary>
    public int MaxPromptLength { get; init; } = 64;

    public static IReadOnlyList<string> Names { get; } =
        ["model", "tokenizer", "data", "format", "seed", "train_pairs", "eval_pairs", "max_length", "max_prompt_length"];

    /// <summary>Parses settings for the task named <paramref name="task"/>; an unknown key or bad value throws
    /// <see cref="ArgumentException"/> naming it.</summary>
    public static HhRlhfSettings Parse(IReadOnlyDictionary<string, string>? settings, string task = HhRlhfTask.TaskName)
    {
        var result = new HhRlhfSettings();
        foreach (var (name, raw) in settings ?? new Dictionary<string, string>())
        {
            var setting = new TaskSetting(task, name, raw);
            result = name switch
            {
                "model" => result with { Model = setting.Path() },
                "tokenizer" => result with { Tokenizer = setting.Path() },
                "data" => result with { Data = setting.Path() },
                "format" => result with { Format = setting.OneOf("hh-rlhf", "sharegpt", "jsonl") },
                "seed" => result with { Seed = setting.Int(0) },
                "train_pairs" => result with { TrainPairs = setting.Int(1) },
                "eval_pairs" => result with { EvalPairs = setting.Int(1) },
                "max_length" => result with { MaxLength = setting.Int(4) },
                "max_prompt_length" => result with { MaxPromptLength = setting.Int(2) },
                _ => throw setting.Unknown(Names),
            };
        }
        if (result.MaxPromptLength >= result.MaxLength)
            throw new ArgumentException($"Task '{task}' setting 'max_prompt_length': expected less than max_length ({result.MaxLength}), got {result.MaxPromptLength}.");
        if (result.Data is null && result.Format != "hh-rlhf")
            throw new ArgumentException($"Task '{task}' setting 'format': '{result.Format}' needs a 'data' file; without one the task reads the HH-RLHF test splits.");
        return result;
    }

    /// <summary>Canonical text of every value (cache key of built tasks).</summary>
    public string CacheKey => string.Join(";", Model, Tokenizer, Data ?? "", Format, Seed, TrainPairs, EvalPairs, MaxLength, MaxPromptLength);
}
