using System.Diagnostics;
using System.Text.RegularExpressions;
using RiskAlign.Framework.Data;
using RiskAlign.Framework.Rewards;
using RiskAlign.Framework.Tokenizers;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The IMDb controlled-sentiment experiment as the DPO and Ra-DPO papers run it (their GPT-2 Large, here a GPT-2-shaped
/// model of the size the settings give):
/// <list type="bullet">
/// <item>Reference: a GPT-2-shaped causal LM trained from random init on the openings of IMDb train reviews
/// (<c>sft_steps</c>), or a checkpoint the user names (<c>model</c>), optionally fine-tuned the same way. It can be
/// written as a Hugging Face folder (<c>save_reference</c>) and named as <c>model</c> by later runs.</item>
/// <item>Reward model: the bag-of-words IMDb sentiment classifier; the reward is its p(positive) of prompt and response.</item>
/// <item>Pairs: prompts are end-of-text and the first 2–8 GPT-2 tokens of a review (train reviews for training pairs,
/// test reviews for held-out pairs); two reference continuations each, labelled by Bradley–Terry on p(positive).</item>
/// <item>Evaluation: the trainer's held-out <c>kl/seq_chosen</c>, <c>kl/seq_rejected</c>, <c>rewards/accuracies</c> (the
/// Ra-DPO paper's Figure 2); and the policy's continuations of further test openings: <c>reward/true</c> (mean
/// p(positive)) against <c>kl/true</c> (their exact sequence KL to the reference), the DPO paper's frontier.</item>
/// </list>
/// </summary>
public static partial class ImdbSentimentTask
{
    /// <summary>Name in sweep specs.</summary>
    public const string TaskName = "imdb-sentiment";

    // Reviews carry HTML line breaks ("<br /><br />"); the classifier and the LM see plain text with single spaces.
    [GeneratedRegex(@"(?:<br\s*/?>|\s)+")]
    private static partial Regex BreaksAndSpaces();

    /// <summary>The files a build reads, so the on-disk cache misses when one changes: the model (when named), the
    /// tokenizer and both IMDb splits.</summary>
    public static IEnumerable<string> AssetFiles(ImdbSentimentSettings s) =>
        [.. s.Model is null ? [] : new[] { s.Model }, s.Tokenizer, "imdb/imdb-train.jsonl.gz", "imdb/imdb-test.jsonl.gz"];


    /// <summary>A review as the task reads it: line breaks and runs of white space as one space, trimmed.</summary>
    public static string Clean(string review) => BreaksAndSpaces().Replace(review, " ").Trim();

    /// <summary>Builds the task: the classifier, the reference (trained or loaded, then fine-tuned), labelled pairs and evaluation prompts.</summary>
    public static TaskWorld Build(ImdbSentimentSettings s, TaskContext context)
    {
        var (device, assetsFolder) = (context.Device, context.AssetsFolder);
        var clock = Stopwatch.StartNew();
        var random = new Random(s.Seed);
        int sequenceLength = Math.Max(s.Context, 1 + s.PromptMaxLength + s.ResponseLength);
        var (model, tokenizer) = s.Model is null
            ? NewReference(s, assetsFolder, device)
            : PretrainedReference.Load(TaskName, s.Model, s.Tokenizer, assetsFolder, device, sequenceLength, "context");
        BagOfWordsClassifier? classifier = null;
        try
        {
            int endOfText = tokenizer.BosId ?? tokenizer.EosId
                ?? throw new ArgumentException($"Task '{TaskName}' setting 'tokenizer': the tokenizer has no end-of-text (BOS) token to open reviews with.");
            var blocked = PretrainedReference.BlockedInResponses(tokenizer);
            int pad = TaskWorld.PadIdFor(tokenizer);

            var (trained, accuracy) = TextClassifiers.TrainImdb(assetsFolder,
                new BagOfWordsClassifierOptions { Epochs = s.ClassifierEpochs, Seed = (ulong)s.Seed + 1 },
                maxTrainExamples: s.ClassifierTrainExamples == 0 ? null : s.ClassifierTrainExamples,
                maxTestExamples: s.ClassifierTestExamples == 0 ? null : s.ClassifierTestExamples);
            classifier = trained;
            var sentiment = TextClassifiers.PositiveSentiment(classifier);

            var trainReviews = ImdbReader.Train(assetsFolder).Read().Select(r => r.Text).ToArray();
            var testReviews = ImdbReader.Test(assetsFolder).Read().Select(r => r.Text).ToArray();
            // The first `tokens` tokens of a review after end-of-text (null when the review is shorter).
            int[]? Opening(string review, int tokens)
            {
                var text = Clean(review);
                // Encoding a generous prefix is enough (no GPT-2 token is 16 characters); the whole review only when needed.
                var ids = tokenizer.Encode(text.Length > 16 * tokens ? text[..(16 * tokens)] : text, addBos: false);
                if (ids.Count < tokens && text.Length > 16 * tokens) ids = tokenizer.Encode(text, addBos: false);
                return ids.Count < tokens ? null : [endOfText, .. ids.Take(tokens)];
            }

            int sftLength = Math.Min(s.Context, model.MaxSequenceLength);
            var sftOrder = DatasetSplit.Permutation(trainReviews.Length, (ulong)s.Seed + 2);
            var sftSequences = (s.SftReviews == 0 ? sftOrder : sftOrder.Take(s.SftReviews))
                .Select(i => Opening(trainReviews[i], sftLength - 1)).OfType<int[]>().ToArray();
            if (sftSequences.SelectMany(x => x).Where(id => id < 0 || id >= model.VocabularySize).Take(1).ToArray() is [var outside])
                throw new ArgumentException($"Task '{TaskName}' setting 'tokenizer': token id {outside} is outside the model's vocabulary of {model.VocabularySize} (tokenizer: {tokenizer.VocabularySize}).");
            if (s.SftSteps > 0 && sftSequences.Length == 0)
                throw new ArgumentException($"Task '{TaskName}' setting 'sft_reviews': no review has {sftLength - 1} tokens to fine-tune on.");
            double sftLoss = s.SftSteps == 0 ? double.NaN
                : SupervisedFineTuning.Run(model, sftSequences, s.SftSteps, s.SftBatchSize, s.SftLearningRate, s.Seed, pad, device);
            if (s.SaveReference is not null) ReferenceFolder.Save(TaskName, model, s.SaveReference, s.Tokenizer, assetsFolder);

            // Prompts: seeded review openings of prompt_min_length..prompt_max_length tokens; the held-out pairs open
            // reviews of one half of the test split, the evaluation prompts the other half.
            var testOrder = DatasetSplit.Permutation(testReviews.Length, (ulong)s.Seed + 3);
            var trainOrder = DatasetSplit.Permutation(trainReviews.Length, (ulong)s.Seed + 4);
            int[][] Prompts(string[] reviews, IEnumerable<int> order, int count, string split)
            {
                var prompts = order.Select(i => Opening(reviews[i], random.Next(s.PromptMinLength, s.PromptMaxLength + 1)))
                    .OfType<int[]>().Take(count).ToArray();
                return prompts.Length == count ? prompts
                    : throw new ArgumentException($"Task '{TaskName}': the IMDb {split} split has only {prompts.Length} reviews long enough for prompts, {count} wanted.");
            }
            var trainPrompts = Prompts(trainReviews, trainOrder, s.TrainPairs, "train");
            int half = testOrder.Length / 2;
            var evalPairPrompts = Prompts(testReviews, testOrder[..half], s.EvalPairs, "test");
            var evalPrompts = Prompts(testReviews, testOrder[half..], s.EvalSamples, "test");

            double[] Sentiment(IReadOnlyList<string> texts) => sentiment.Score(texts);
            var train = RewardLabelledPairs.Sample(model, tokenizer, trainPrompts, s.ResponseLength, blocked, Sentiment, s.LabelScale, random, device);
            var eval = RewardLabelledPairs.Sample(model, tokenizer, evalPairPrompts, s.ResponseLength, blocked, Sentiment, s.LabelScale, random, device);
            var statistics = train.Statistics(clock.Elapsed, ("classifier/test_accuracy", accuracy),
                ("reference/parameters", model.parameters().Sum(p => p.numel())), ("sft/final_loss", sftLoss));
            return new TaskWorld
            {
                Reference = model, PadTokenId = pad, TrainPairs = train.Pairs, EvalPairs = eval.Pairs,
                DriftMetric = "kl/true", RewardMetric = "reward/true", Tokenizer = tokenizer,
                EvalPrompts = evalPrompts, EvalSamplingSeed = random.Next(), ResponseLength = s.ResponseLength, BlockedTokens = blocked,
                Score = Scorer(tokenizer, classifier, statistics),
                Statistics = statistics,
                ReferenceFineTuned = s.SftSteps > 0,
                SaveArtifacts = StoredClassifier.Saver(classifier),
            };
            // The classifier lives as long as the process's task cache (as the emotion-shift task's does).
        }
        catch
        {
            classifier?.Dispose();
            model.Dispose();
            throw;
        }
    }

    /// <summary>The world of a cache entry <see cref="Build"/> stored: a reference of the same shape (new, or the named
    /// checkpoint) with the stored weights when the build fine-tuned it, the stored classifier, the pairs and prompts.</summary>
    public static TaskWorld Restore(ImdbSentimentSettings s, TaskContext context, StoredTaskBuild stored)
    {
        int sequenceLength = Math.Max(s.Context, 1 + s.PromptMaxLength + s.ResponseLength);
        var (model, tokenizer) = s.Model is null
            ? NewReference(s, context.AssetsFolder, context.Device)
            : PretrainedReference.Load(TaskName, s.Model, s.Tokenizer, context.AssetsFolder, context.Device, sequenceLength, "context");
        try
        {
            var classifier = StoredClassifier.Load(stored);
            return stored.World(stored.LoadReference(model)) with
            {
                Tokenizer = tokenizer,
                Score = Scorer(tokenizer, classifier, stored.Statistics),
                SaveArtifacts = StoredClassifier.Saver(classifier),
            };
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // reward/true: the classifier's mean p(positive) of prompt and response.
    private static Func<IReadOnlyList<int[]>, int[][], IReadOnlyDictionary<string, double>> Scorer(ITextTokenizer tokenizer,
        BagOfWordsClassifier classifier, IReadOnlyDictionary<string, double> statistics)
    {
        var sentiment = TextClassifiers.PositiveSentiment(classifier);
        return RewardLabelledPairs.TextScorer(tokenizer, texts => new Dictionary<string, double>
        {
            ["reward/true"] = sentiment.Score(texts).Average(),
        }, statistics);
    }

    private static (CausalLanguageModel, ITextTokenizer) NewReference(ImdbSentimentSettings s, string? assetsFolder, Device device) =>
        s.Shape.New(TaskName, s.Tokenizer, assetsFolder, s.Seed, device);
}
