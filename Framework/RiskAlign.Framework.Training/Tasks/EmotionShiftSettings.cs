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

    /// <summary>Width (n_embd) of a GPT-2-shaped reference trained from random init on the emotion training texts
    /// (<see cref="SftSteps"/>) with the tokenizer's vocabulary, instead of loading <see cref="SampledPairSettings.Model"/>;
    /// unset = the pretrained model. Setting both is refused.</summary>
    [Range(8, 8192)] public int? Width { get; init; }
    /// <summary>Transformer blocks (n_layer) of the reference trained from scratch (unset = 2); needs <see cref="Width"/>.</summary>
    [Range(1, 96)] public int? Layers { get; init; }
    /// <summary>Attention heads (n_head) of the reference trained from scratch (unset = 4); must divide <see cref="Width"/>.</summary>
    [Range(1, 128)] public int? Heads { get; init; }
    /// <summary>Positions (n_positions) of the reference trained from scratch (unset = the longest sequence the task uses:
    /// max(1 + prompt_length + response_length, sft_max_length)); needs <see cref="Width"/>.</summary>
    [Range(8, 4096)] public int? Context { get; init; }
    /// <summary>Where to write the reference once it is fine-tuned, as a Hugging Face folder (config.json and
    /// model.safetensors), so that later runs name it as <see cref="SampledPairSettings.Model"/> (with <c>sft_steps</c> 0);
    /// unset = not written. Keep it outside the repository.</summary>
    [MinLength(1)] public string? SaveReference { get; init; }

    /// <summary>Training texts of the emotion classifier (a seeded subset; 0 = all 16,000).</summary>
    [Range(0, int.MaxValue)] public int ClassifierTrainExamples { get; init; }
    /// <summary>Passes of the classifier over its training texts.</summary>
    [Range(1, int.MaxValue)] public int ClassifierEpochs { get; init; } = 10;

    /// <summary>The longest sequence the task feeds the reference: a prompt and response, or an SFT text.</summary>
    internal int SequenceLength => Math.Max(1 + PromptLength + ResponseLength, SftMaxLength);

    /// <summary>The shape of the reference trained from scratch, or null when the task loads <see cref="SampledPairSettings.Model"/>.</summary>
    internal Gpt2ReferenceShape? OwnReference => Width is { } width ? new(width, Layers ?? 2, Heads ?? 4, Context ?? SequenceLength) : null;

    /// <inheritdoc />
    protected internal override (string Setting, string Expected, object? Given)? CheckTogether()
    {
        if (OwnReference is not { } shape)
        {
            if (Layers is not null) return ("layers", "'width' set too (layers shape a reference trained from scratch)", Layers);
            if (Heads is not null) return ("heads", "'width' set too (heads shape a reference trained from scratch)", Heads);
            if (Context is not null) return ("context", "'width' set too (context shapes a reference trained from scratch)", Context);
            return null;
        }
        // The default model is written into every normalized spec, so only another path counts as naming one.
        if (Model != DefaultModel)
            return ("model", "no model when 'width' is set (width trains the reference from scratch; set one or the other)", Model);
        if (shape.Problem() is { } problem) return problem;
        if (shape.Context < SequenceLength)
            return ("context", $"at least max(1 + prompt_length + response_length, sft_max_length) = {SequenceLength}", Context);
        return null;
    }
}
