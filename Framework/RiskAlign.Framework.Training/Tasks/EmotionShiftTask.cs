using System.Diagnostics;
using System.Globalization;
using RiskAlign.Framework.Data;
using RiskAlign.Framework.Rewards;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Tokenizers;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The WDPO paper's emotion-alignment experiment under preference shift, on stories260K:
/// <list type="bullet">
/// <item>Reference: the pretrained model fine-tuned (<c>sft_steps</c>) on the emotion dataset's training texts; or, with
/// <c>width</c>, a GPT-2-shaped model of that size trained on them from random init. It can be written as a Hugging Face
/// folder (<c>save_reference</c>) and named as <c>model</c> by later runs.</item>
/// <item>Reward model: the TorchSharp bag-of-words emotion classifier trained on the same texts (six-way softmax; the
/// paper's is a GPT-2 multi-label head). A mix of two of its probabilities is the reward:
/// <c>r_α = α·p(anger) + (1−α)·p(fear)</c> (or the geometric mix).</item>
/// <item>Pairs: prompts are the first <c>prompt_length</c> tokens of emotion texts (train split for training pairs,
/// validation split for held-out pairs); two reference continuations each, labelled by Bradley–Terry on
/// <c>r_α₀</c> with α₀ = <c>alpha</c> (0.1, fear-heavy).</item>
/// <item>Evaluation: the policy continues prompts from the test split; <c>reward/true</c> is the mean <c>r_α₀</c> of its
/// texts, <c>reward/alpha=x</c> the mean <c>r_x</c> for every x of <c>eval_alphas</c> (the preference-shift curve),
/// <c>kl/true</c> their exact sequence KL to the reference.</item>
/// </list>
/// </summary>
public static class EmotionShiftTask
{
    /// <summary>Name in sweep specs.</summary>
    public const string TaskName = "emotion-shift";

    /// <summary>The emotion dataset's files the build reads (under the assets folder).</summary>
    public static IReadOnlyList<string> DatasetFiles { get; } = ["emotion/train.txt", "emotion/val.txt", "emotion/test.txt"];

    /// <summary>The files a build reads, so the on-disk cache misses when one changes: the model (unless the task trains
    /// its own), the tokenizer and the emotion dataset.</summary>
    public static IEnumerable<string> AssetFiles(EmotionShiftSettings s) =>
        [.. s.OwnReference is null ? [s.Model] : Array.Empty<string>(), s.Tokenizer, .. DatasetFiles];


    /// <summary>The metric name of the mean reward under mix <paramref name="alpha"/>, for example <c>reward/alpha=0.10</c>.</summary>
    public static string ShiftMetric(double alpha) => "reward/alpha=" + alpha.ToString("0.00##", CultureInfo.InvariantCulture);

    /// <summary>The mixed reward of anger and fear probabilities.</summary>
    public static double MixedReward(double anger, double fear, double alpha, string mix) => mix == "geometric"
        ? Math.Pow(anger, alpha) * Math.Pow(fear, 1 - alpha)
        : alpha * anger + (1 - alpha) * fear;

    /// <summary>Builds the task of these settings: the fine-tuned reference, the classifier reward, labelled pairs and evaluation prompts.</summary>
    public static TaskWorld Build(EmotionShiftSettings settings, TaskContext context)
    {
        var (device, assetsFolder) = (context.Device, context.AssetsFolder);
        var clock = Stopwatch.StartNew();
        var s = settings;
        var (model, tokenizer) = Reference(s, assetsFolder, device);
        try
        {
            int bos = tokenizer.BosId ?? throw new ArgumentException($"Task '{TaskName}': the tokenizer has no BOS token to open texts with.");
            var blocked = PretrainedReference.BlockedInResponses(tokenizer);
            var random = new Random(s.Seed);
            int[] Encode(string text) => [bos, .. tokenizer.Encode(text, addBos: false)];
            string[] Texts(string split) => EmotionReader.Split(split, assetsFolder).Read().Select(e => e.Text).ToArray();
            var trainTexts = Texts("train");

            var (classifier, accuracy) = TextClassifiers.TrainEmotion(assetsFolder,
                TextClassifiers.EmotionDefaults with { Epochs = settings.ClassifierEpochs, Seed = (ulong)s.Seed + 1 },
                maxTrainExamples: settings.ClassifierTrainExamples == 0 ? null : settings.ClassifierTrainExamples);

            // Fine-tuning documents are complete texts: EOS ends them where the tokenizer's add_eos_token says so.
            var sftSequences = trainTexts.Select(t => (int[])[bos, .. tokenizer.EncodeCompleteText(t)]).Select(x => x.Length > settings.SftMaxLength ? x[..settings.SftMaxLength] : x)
                .Where(x => x.Length >= 2).ToArray();
            int pad = TaskWorld.PadIdFor(tokenizer);
            double sftLoss = SupervisedFineTuning.Run(model, sftSequences, settings.SftSteps, settings.SftBatchSize, settings.SftLearningRate,
                s.Seed, pad, device);
            if (s.SaveReference is not null) ReferenceFolder.Save(TaskName, model, s.SaveReference, s.Tokenizer, assetsFolder);

            int[][] Prompts(string[] texts, int count, string split)
            {
                var candidates = DatasetSplit.Permutation(texts.Length, (ulong)s.Seed + (ulong)split.Length)
                    .Select(i => Encode(texts[i])).Where(x => x.Length > s.PromptLength + 1).Take(count).Select(x => x[..(1 + s.PromptLength)]).ToArray();
                return candidates.Length == count ? candidates
                    : throw new ArgumentException($"Task '{TaskName}': the emotion {split} split has only {candidates.Length} texts longer than prompt_length, {count} wanted.");
            }
            double[] TrainingReward(IReadOnlyList<string> texts) =>
                classifier.Probabilities(texts).Select(p => Reward(p, settings.Alpha, settings.Mix)).ToArray();

            var train = RewardLabelledPairs.Sample(model, tokenizer, Prompts(trainTexts, s.TrainPairs, "train"), s.ResponseLength, blocked,
                TrainingReward, s.LabelScale, random, device);
            var eval = RewardLabelledPairs.Sample(model, tokenizer, Prompts(Texts("val"), s.EvalPairs, "val"), s.ResponseLength, blocked,
                TrainingReward, s.LabelScale, random, device);
            var evalPrompts = Prompts(Texts("test"), s.EvalSamples, "test");
            var statistics = train.Statistics(clock.Elapsed, ("classifier/test_accuracy", accuracy),
                ("reference/parameters", model.parameters().Sum(p => p.numel())), ("sft/final_loss", sftLoss));
            return new TaskWorld
            {
                Reference = model, PadTokenId = pad, TrainPairs = train.Pairs, EvalPairs = eval.Pairs,
                DriftMetric = "kl/true", RewardMetric = "reward/true", Tokenizer = tokenizer,
                EvalPrompts = evalPrompts, EvalSamplingSeed = random.Next(), ResponseLength = s.ResponseLength, BlockedTokens = blocked,
                Score = Scorer(settings, tokenizer, classifier, statistics),
                ReferenceFineTuned = settings.SftSteps > 0,
                SaveArtifacts = StoredClassifier.Saver(classifier),
                Statistics = statistics,
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The world of a cache entry this task's <see cref="Build"/> stored: the pretrained model and tokenizer
    /// loaded again (or a fresh model of the settings' shape), the fine-tuned weights and the classifier read from the entry.</summary>
    public static TaskWorld Restore(EmotionShiftSettings settings, TaskContext context, StoredTaskBuild stored)
    {
        var (model, tokenizer) = Reference(settings, context.AssetsFolder, context.Device);
        try
        {
            var classifier = StoredClassifier.Load(stored);
            return stored.World(stored.LoadReference(model)) with
            {
                Tokenizer = tokenizer,
                Score = Scorer(settings, tokenizer, classifier, stored.Statistics),
                SaveArtifacts = StoredClassifier.Saver(classifier),
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // The reference before fine-tuning: a fresh GPT-2 of the settings' shape (width set), or the pretrained model.
    private static (CausalLanguageModel, ITextTokenizer) Reference(EmotionShiftSettings s, string? assetsFolder, Device device) =>
        s.OwnReference is { } shape
            ? shape.New(TaskName, s.Tokenizer, assetsFolder, s.Seed, device)
            : PretrainedReference.Load(TaskName, s.Model, s.Tokenizer, assetsFolder, device, s.SequenceLength, "response_length");

    private static double Reward(double[] p, double alpha, string mix) => MixedReward(p[EmotionReader.Anger], p[EmotionReader.Fear], alpha, mix);

    // reward/true under α₀, both emotions, and every mix of the shift curve, of the classifier's probabilities.
    private static Func<IReadOnlyList<int[]>, int[][], IReadOnlyDictionary<string, double>> Scorer(EmotionShiftSettings settings,
        ITextTokenizer tokenizer, BagOfWordsClassifier classifier, IReadOnlyDictionary<string, double> statistics) =>
        RewardLabelledPairs.TextScorer(tokenizer, texts =>
        {
            var p = classifier.Probabilities(texts);
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["reward/true"] = p.Average(x => Reward(x, settings.Alpha, settings.Mix)),
                ["emotion/anger"] = p.Average(x => x[EmotionReader.Anger]),
                ["emotion/fear"] = p.Average(x => x[EmotionReader.Fear]),
            };
            foreach (var alpha in settings.EvalAlphas) metrics[ShiftMetric(alpha)] = p.Average(x => Reward(x, alpha, settings.Mix));
            return metrics;
        }, statistics);
}
