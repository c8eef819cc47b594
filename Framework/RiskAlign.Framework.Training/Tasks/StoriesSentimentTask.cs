using System.Diagnostics;
using RiskAlign.Framework.Rewards;
using RiskAlign.Framework.Tokenizers;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The DPO paper's controlled-sentiment experiment on stories260K (its IMDb frontier, with TinyStories in place of
/// IMDb): the pretrained model is reference and initial policy; prompts are story openings the reference writes
/// itself (BOS and <c>prompt_length</c> sampled tokens); pairs are two reference continuations per opening, the
/// preferred one drawn by Bradley–Terry on the sentiment of the whole text (VADER compound by default, or AFINN).
/// Evaluation: the policy continues held-out openings; <c>reward/true</c> is the mean sentiment of those texts,
/// <c>kl/true</c> their exact sequence KL to the reference; <c>reward/vader</c> and <c>reward/afinn</c> are
/// reported either way.
/// </summary>
public static class StoriesSentimentTask
{
    /// <summary>Name in sweep specs.</summary>
    public const string TaskName = "stories-sentiment";

    /// <summary>Builds the task of these settings: the reference, labelled pairs, evaluation openings and sentiment scores.</summary>
    public static TaskWorld Build(StoriesSentimentSettings s, TaskContext context)
    {
        var (device, assetsFolder) = (context.Device, context.AssetsFolder);
        var clock = Stopwatch.StartNew();
        var vader = VaderReward.FromAssets(assetsFolder);
        var afinn = AfinnReward.FromAssets(assetsFolder);
        ITextReward reward = TrueReward(s, vader, afinn);
        var (model, tokenizer) = PretrainedReference.Load(TaskName, s.Model, s.Tokenizer, assetsFolder, device,
            1 + s.PromptLength + s.ResponseLength, "response_length");
        int bos = tokenizer.BosId ?? throw new ArgumentException($"Task '{TaskName}': the tokenizer has no BOS token to open stories with.");
        var blocked = PretrainedReference.BlockedInResponses(tokenizer);
        var random = new Random(s.Seed);

        int[][] Openings(int count)
        {
            var starts = Enumerable.Range(0, count).Select(_ => new[] { bos }).ToArray();
            var sampled = ResponseSampler.Sample(model, starts, s.PromptLength, random, device, blocked: blocked);
            return sampled.Select(tokens => (int[])[bos, .. tokens]).ToArray();
        }
        double[] Score(IReadOnlyList<string> texts) => texts.Select(reward.Score).ToArray();

        var train = RewardLabelledPairs.Sample(model, tokenizer, Openings(s.TrainPairs), s.ResponseLength, blocked, Score, s.LabelScale, random, device);
        var eval = RewardLabelledPairs.Sample(model, tokenizer, Openings(s.EvalPairs), s.ResponseLength, blocked, Score, s.LabelScale, random, device);
        var evalPrompts = Openings(s.EvalSamples);
        var statistics = train.Statistics(clock.Elapsed);
        return new TaskWorld
        {
            Reference = model, PadTokenId = TaskWorld.PadIdFor(tokenizer), TrainPairs = train.Pairs, EvalPairs = eval.Pairs,
            DriftMetric = "kl/true", RewardMetric = "reward/true", Tokenizer = tokenizer,
            EvalPrompts = evalPrompts, EvalSamplingSeed = random.Next(), ResponseLength = s.ResponseLength, BlockedTokens = blocked,
            Score = Scorer(s, tokenizer, vader, afinn, statistics),
            Statistics = statistics,
        };
    }

    /// <summary>The world of a cache entry this task's <see cref="Build"/> stored: the pretrained reference (unchanged by
    /// the build), its tokenizer and the lexicons loaded again, the pairs and prompts read from the entry.</summary>
    public static TaskWorld Restore(StoriesSentimentSettings s, TaskContext context, StoredTaskBuild stored)
    {
        var vader = VaderReward.FromAssets(context.AssetsFolder);
        var afinn = AfinnReward.FromAssets(context.AssetsFolder);
        var (model, tokenizer) = PretrainedReference.Load(TaskName, s.Model, s.Tokenizer, context.AssetsFolder, context.Device,
            1 + s.PromptLength + s.ResponseLength, "response_length");
        return stored.World(stored.LoadReference(model)) with { Tokenizer = tokenizer, Score = Scorer(s, tokenizer, vader, afinn, stored.Statistics) };
    }

    private static ITextReward TrueReward(StoriesSentimentSettings s, VaderReward vader, AfinnReward afinn) => s.Reward == "afinn" ? afinn : vader;

    private static Func<IReadOnlyList<int[]>, int[][], IReadOnlyDictionary<string, double>> Scorer(StoriesSentimentSettings s,
        ITextTokenizer tokenizer, VaderReward vader, AfinnReward afinn, IReadOnlyDictionary<string, double> statistics)
    {
        var reward = TrueReward(s, vader, afinn);
        return RewardLabelledPairs.TextScorer(tokenizer, texts => new Dictionary<string, double>
        {
            ["reward/true"] = texts.Average(reward.Score),
            ["reward/vader"] = texts.Average(vader.Score),
            ["reward/afinn"] = texts.Average(afinn.Score),
        }, statistics);
    }
}
