using System.Globalization;

namespace RiskAlign.Framework.Tasks;

/// <summary>Settings of the <c>emotion-shift</c> task (invariant-culture text, every key optional).</summary>
public sealed record EmotionShiftSettings
{
    /// <summary>Model, tokenizer, seed, pair counts, lengths and Bradley–Terry scale (prompts of 4 tokens after BOS as
    /// in the WDPO paper, responses of 20 tokens, scale 10 because the rewards are probabilities).</summary>
    public SampledPairSettings Pairs { get; init; } = new() { PromptLength = 4, ResponseLength = 20, LabelScale = 10 };

    /// <summary>α₀: the training labels come from α₀·anger + (1−α₀)·fear (0.1 in the paper: fear-heavy).</summary>
    public double Alpha { get; init; } = 0.1;

    /// <summary>The mixes every evaluation scores the policy's texts under (the preference-shift curve).</summary>
    public IReadOnlyList<double> EvalAlphas { get; init; } = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

    /// <summary><c>convex</c>: α·p(anger) + (1−α)·p(fear); <c>geometric</c>: p(anger)^α · p(fear)^(1−α).</summary>
    public string Mix { get; init; } = "convex";

    /// <summary>Supervised steps that fit the pretrained model to the emotion texts (the paper's SFT stage).</summary>
    public int SftSteps { get; init; } = 300;
    public int SftBatchSize { get; init; } = 32;
    public double SftLearningRate { get; init; } = 1e-3;
    /// <summary>Most tokens (BOS included) of an SFT text; longer ones are cut.</summary>
    public int SftMaxLength { get; init; } = 48;

    /// <summary>Training texts of the emotion classifier (a seeded subset; 0 = all 16,000).</summary>
    public int ClassifierTrainExamples { get; init; }
    /// <summary>Passes of the classifier over its training texts.</summary>
    public int ClassifierEpochs { get; init; } = 10;

    /// <summary>Every setting name.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        .. SampledPairSettings.Names, "alpha", "eval_alphas", "mix", "sft_steps", "sft_batch_size", "sft_learning_rate",
        "sft_max_length", "classifier_train_examples", "classifier_epochs",
    ];

    /// <summary>Parses settings; an unknown key or bad value throws <see cref="ArgumentException"/> naming it.</summary>
    public static EmotionShiftSettings Parse(IReadOnlyDictionary<string, string>? settings)
    {
        var result = new EmotionShiftSettings();
        foreach (var (name, raw) in settings ?? new Dictionary<string, string>())
        {
            var setting = new TaskSetting(EmotionShiftTask.TaskName, name, raw);
            result = name switch
            {
                "alpha" => result with { Alpha = setting.Real(0, 1) },
                "eval_alphas" => result with { EvalAlphas = setting.Reals(0, 1).Distinct().Order().ToArray() },
                "mix" => result with { Mix = setting.OneOf("convex", "geometric") },
                "sft_steps" => result with { SftSteps = setting.Int(0) },
                "sft_batch_size" => result with { SftBatchSize = setting.Int(1) },
                "sft_learning_rate" => result with { SftLearningRate = setting.Real(0, exclusive: true) },
                "sft_max_length" => result with { SftMaxLength = setting.Int(2) },
                "classifier_train_examples" => result with { ClassifierTrainExamples = setting.Int(0) },
                "classifier_epochs" => result with { ClassifierEpochs = setting.Int(1) },
                _ => result with { Pairs = result.Pairs.TryApply(setting) ?? throw setting.Unknown(Names) },
            };
        }
        return result;
    }

    /// <summary>Canonical text of every value (cache key of built tasks).</summary>
    public string CacheKey => string.Join(";", new object[]
    {
        Pairs.CacheKey, Alpha, string.Join(",", EvalAlphas.Select(a => a.ToString("R", CultureInfo.InvariantCulture))), Mix,
        SftSteps, SftBatchSize, SftLearningRate, SftMaxLength, ClassifierTrainExamples, ClassifierEpochs,
    }.Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)));
}
