using System.ComponentModel.DataAnnotations;

namespace RiskAlign.Framework.Tasks;

/// <summary>Settings of the <c>imdb-sentiment</c> task (every key optional). Without <see cref="Model"/> the reference
/// is a GPT-2-shaped model of <see cref="Width"/> × <see cref="Layers"/> trained from random init on IMDb train
/// reviews; with it, the named checkpoint (further fine-tuned for <see cref="SftSteps"/> steps, 0 = used as it is).
/// A new setting is a property here.</summary>
public sealed record ImdbSentimentSettings : TaskSettings
{
    /// <summary>A reference checkpoint (Hugging Face folder, or any file ModelLoader reads), relative to the assets
    /// folder unless absolute; unset = the task trains its own (<see cref="Width"/>, <see cref="Layers"/>, <see cref="Heads"/>,
    /// <see cref="Context"/>).</summary>
    [MinLength(1)] public string? Model { get; init; }
    /// <summary>The tokenizer (GPT-2 BPE by default; a Hugging Face folder holding one also works), same path rules.</summary>
    [MinLength(1)] public string Tokenizer { get; init; } = "tokenizers/gpt2";
    /// <summary>Where to write the reference once it is built, as a Hugging Face folder (config.json, model.safetensors and
    /// the tokenizer's files), so that later runs name it as <see cref="Model"/>; unset = not written. Keep it outside
    /// the repository.</summary>
    [MinLength(1)] public string? SaveReference { get; init; }

    /// <summary>Width (n_embd) of the task's own reference.</summary>
    [Range(8, 8192)] public int Width { get; init; } = 64;
    /// <summary>Transformer blocks (n_layer) of the task's own reference.</summary>
    [Range(1, 96)] public int Layers { get; init; } = 2;
    /// <summary>Attention heads (n_head) of the task's own reference; must divide <see cref="Width"/>.</summary>
    [Range(1, 128)] public int Heads { get; init; } = 4;
    /// <summary>Positions (n_positions) of the task's own reference, and the tokens (end-of-text first) of every SFT
    /// sequence: the opening of one review.</summary>
    [Range(8, 4096)] public int Context { get; init; } = 32;

    /// <summary>Supervised steps on IMDb train reviews (from random init, or on top of <see cref="Model"/>).</summary>
    [Range(0, int.MaxValue)] public int SftSteps { get; init; } = 400;
    /// <summary>Sequences per SFT step.</summary>
    [Range(1, int.MaxValue)] public int SftBatchSize { get; init; } = 16;
    /// <summary>AdamW learning rate of the SFT.</summary>
    [Range(0, double.PositiveInfinity, MinimumIsExclusive = true)] public double SftLearningRate { get; init; } = 3e-3;
    /// <summary>IMDb train reviews the SFT draws from (a seeded subset; 0 = all 25,000).</summary>
    [Range(0, int.MaxValue)] public int SftReviews { get; init; }

    /// <summary>Seed of the reference's init and SFT, prompts, samples and labels (not of training: that is the trial's seed).</summary>
    [Range(0, int.MaxValue)] public int Seed { get; init; }
    /// <summary>Training pairs (prompts from IMDb train reviews).</summary>
    [Range(1, int.MaxValue)] public int TrainPairs { get; init; } = 512;
    /// <summary>Held-out pairs (prompts from IMDb test reviews): reward accuracy and sequential KL of chosen and rejected.</summary>
    [Range(1, int.MaxValue)] public int EvalPairs { get; init; } = 128;
    /// <summary>Held-out prompts (IMDb test reviews, none shared with the held-out pairs) the policy answers at every
    /// evaluation: sentiment reward and exact KL of its samples.</summary>
    [Range(1, int.MaxValue)] public int EvalSamples { get; init; } = 128;
    /// <summary>Fewest review tokens in a prompt (after end-of-text); each prompt's length is drawn uniformly from
    /// <see cref="PromptMinLength"/>..<see cref="PromptMaxLength"/> (2..8 in the DPO paper).</summary>
    [Range(1, 256)] public int PromptMinLength { get; init; } = 2;
    /// <summary>Most review tokens in a prompt.</summary>
    [Range(1, 256)] public int PromptMaxLength { get; init; } = 8;
    /// <summary>Tokens in every sampled response.</summary>
    [Range(1, 1024)] public int ResponseLength { get; init; } = 16;
    /// <summary>Bradley–Terry scale on p(positive): P(y1 ≻ y2) = σ(label_scale · (p(y1) − p(y2))).</summary>
    [Range(0, double.PositiveInfinity, MinimumIsExclusive = true)] public double LabelScale { get; init; } = 10;

    /// <summary>IMDb train reviews the sentiment classifier learns from (a seeded subset; 0 = all 25,000).</summary>
    [Range(0, int.MaxValue)] public int ClassifierTrainExamples { get; init; }
    /// <summary>IMDb test reviews its accuracy is measured on (a seeded subset; 0 = all 25,000).</summary>
    [Range(0, int.MaxValue)] public int ClassifierTestExamples { get; init; } = 5000;
    /// <summary>Passes of the classifier over its training reviews.</summary>
    [Range(1, int.MaxValue)] public int ClassifierEpochs { get; init; } = 4;

    /// <summary>The shape of the task's own reference.</summary>
    internal Gpt2ReferenceShape Shape => new(Width, Layers, Heads, Context);

    /// <inheritdoc />
    protected internal override (string Setting, string Expected, object? Given)? CheckTogether()
    {
        if (Shape.Problem() is { } shape) return shape;
        if (PromptMaxLength < PromptMinLength) return ("prompt_max_length", $"at least prompt_min_length {PromptMinLength}", PromptMaxLength);
        if (Model is null && 1 + PromptMaxLength + ResponseLength > Context)
            return ("context", $"at least 1 + prompt_max_length + response_length = {1 + PromptMaxLength + ResponseLength}", Context);
        return null;
    }
}
