using System.ComponentModel.DataAnnotations;

namespace RiskAlign.Framework.Tasks;

/// <summary>Settings of the <c>hh-rlhf</c> task and of <c>preference-pairs</c>, the same task on your own files (every
/// key optional). A new setting is a property here.</summary>
public sealed record HhRlhfSettings : TaskSettings
{
    /// <summary>Reference model: llama2.c .bin or Hugging Face folder, relative to the assets folder unless absolute.</summary>
    [MinLength(1)] public string Model { get; init; } = "models/stories260k/stories260K.bin";
    /// <summary>Its tokenizer (any format TokenizerLoader reads), same path rules.</summary>
    [MinLength(1)] public string Tokenizer { get; init; } = "models/stories260k/tok512.bin";
    /// <summary>The pairs: a list of files (a JSON array; a comma-separated string is also read), same path rules;
    /// null = the four HH-RLHF test splits of the assets folder.</summary>
    public IReadOnlyList<string>? Data { get; init; }
    /// <summary>Format of <see cref="Data"/>: <c>hh-rlhf</c> (chosen/rejected transcripts), <c>sharegpt</c>
    /// (LLaMA-Factory DPO) or <c>jsonl</c> (prompt/chosen/rejected lines).</summary>
    [AllowedValues("hh-rlhf", "sharegpt", "jsonl")] public string Format { get; init; } = "hh-rlhf";
    /// <summary>Seed of the train/eval draw.</summary>
    [Range(0, int.MaxValue)] public int Seed { get; init; }
    /// <summary>Training pairs.</summary>
    [Range(1, int.MaxValue)] public int TrainPairs { get; init; } = 256;
    /// <summary>Held-out pairs.</summary>
    [Range(1, int.MaxValue)] public int EvalPairs { get; init; } = 64;
    /// <summary>Most tokens of prompt + response (BOS included); the prompt is cut from the left first.</summary>
    [Range(4, int.MaxValue)] public int MaxLength { get; init; } = 96;
    /// <summary>Most prompt tokens (BOS included); less than max_length.</summary>
    [Range(2, int.MaxValue)] public int MaxPromptLength { get; init; } = 64;

    /// <inheritdoc />
    protected internal override (string Setting, string Expected, object? Given)? CheckTogether() =>
        MaxPromptLength >= MaxLength ? ("max_prompt_length", $"less than max_length ({MaxLength})", MaxPromptLength)
        : Data is null && Format != "hh-rlhf" ? ("format", $"hh-rlhf unless 'data' is set ('{Format}' needs a 'data' file; without one the task reads the HH-RLHF test splits)", Format)
        : null;
}
