using System.Diagnostics;
using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Models.Tiny;
using RiskAlign.Framework.Data;
using RiskAlign.Framework.Models.Loading;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// A preference task whose ground truth is known, so drift and reward can be measured exactly.
/// <list type="bullet">
/// <item>Tokens: 0 is BOS, 1..V-1 are content. A prompt is BOS followed by uniform content tokens; a response is
/// <c>response_length</c> content tokens.</item>
/// <item>True reward <c>r(x, y) = Σ_t s[y_t] + bonus · 1{y_t occurs in x}</c>, with a per-token score table
/// <c>s ~ N(0, token_reward_scale²)</c> (BOS scores below every content token): a small transformer can learn it
/// (a lookup plus attention to the prompt), and maximising it drives the policy far from the reference.</item>
/// <item>Reference π_ref: the <see cref="TinyCausalTransformer"/> after <c>sft_steps</c> of supervised training on
/// responses from a base bigram chain (logits <c>~ N(0, base_temperature²)</c>, first token conditioned on the last
/// prompt token) that is unrelated to the reward; or, with the <c>model</c> setting, a pretrained model as it is
/// (stories260K, a Hugging Face folder), whose vocabulary the task then uses, with the model's BOS (id 1 for
/// llama2.c models) opening every prompt.</item>
/// <item>Pairs: two responses sampled from π_ref per prompt, labelled by Bradley–Terry on the true reward,
/// <c>P(y1 ≻ y2) = σ(r1 − r2)</c>.</item>
/// <item>Evaluation: on <c>eval_samples</c> held-out prompts, one response sampled from the policy per prompt (the same
/// random numbers at every evaluation); <c>reward/true</c> = mean true reward, <c>kl/true</c> = mean of
/// <c>Σ_t KL(π_θ(·|x,y&lt;t) ‖ π_ref(·|x,y&lt;t))</c> computed exactly over the vocabulary.</item>
/// </list>
/// The build depends only on the task settings (never on a trial's seed); <see cref="TaskCatalog"/> caches it.
/// </summary>
public static class SyntheticPreferenceTask
{
    /// <summary>Name in sweep specs.</summary>
    public const string TaskName = "synthetic";

    /// <summary>BOS token id of the tiny vocabulary (also the pad id: never a response label).</summary>
    public const int BosTokenId = 0;

    /// <summary>Builds the task of these settings: reward, reference model, pairs, evaluation prompts.</summary>
    public static TaskWorld Build(SyntheticTaskSettings s, TaskContext context)
    {
        var device = context.Device;
        var clock = Stopwatch.StartNew();
        var random = new Random(s.Seed);
        CausalLanguageModel? pretrained = s.Model is null ? null : LoadPretrained(s.Model, device, context.AssetsFolder);
        if (pretrained is not null)
        {
            if (1 + s.PromptLength + s.ResponseLength > pretrained.MaxSequenceLength)
                throw new ArgumentException($"Task '{TaskName}': prompt_length + response_length + 1 = {1 + s.PromptLength + s.ResponseLength} exceeds the model's {pretrained.MaxSequenceLength} positions.");
            s = s with { VocabularySize = pretrained.VocabularySize };
        }
        int v = s.VocabularySize;
        // llama2.c vocabularies hold unk/bos/eos at 0/1/2: prompts open with BOS and content starts at 3.
        int promptStart = pretrained is null ? BosTokenId : 1, firstContent = pretrained is null ? 1 : 3;
        int[] RandomPrompt() => Prompt(random, s.PromptLength, promptStart, firstContent, v);

        var scores = RewardTable(s, random, firstContent);
        double TrueReward(int[] prompt, int[] response) => Reward(s, scores, prompt, response);

        // Base bigram chain over content tokens: logits [V, V] (row = previous token), column 0 (BOS) excluded.
        var baseLogits = new double[v, v];
        for (int a = 0; a < v; a++)
            for (int b = 1; b < v; b++) baseLogits[a, b] = s.BaseTemperature * Gaussian(random);

        CausalLanguageModel reference;
        if (pretrained is not null)
        {
            reference = pretrained;
        }
        else
        {
            var tiny = new TinyCausalTransformer(TinyConfig(s), random.Next(), device);
            SupervisedFineTuning.Run(tiny, BaseChainBatches(s, baseLogits, random), s.SftSteps, s.SftLearningRate, maxGradNorm: null, device);
            reference = tiny;
        }
        reference.Freeze();

        PreferencePair[] SamplePairs(int count)
        {
            var prompts = Enumerable.Range(0, count).Select(_ => RandomPrompt()).ToArray();
            var first = ResponseSampler.Sample(reference, prompts, s.ResponseLength, random, device, allowedFrom: firstContent);
            var second = ResponseSampler.Sample(reference, prompts, s.ResponseLength, random, device, allowedFrom: firstContent);
            var pairs = new PreferencePair[count];
            for (int i = 0; i < count; i++)
            {
                double margin = TrueReward(prompts[i], first[i]) - TrueReward(prompts[i], second[i]);
                bool firstWins = random.NextDouble() < 1 / (1 + Math.Exp(-margin)); // Bradley–Terry
                pairs[i] = firstWins ? new PreferencePair(prompts[i], first[i], second[i]) : new PreferencePair(prompts[i], second[i], first[i]);
            }
            return pairs;
        }
        var train = SamplePairs(s.TrainPairs);
        var eval = SamplePairs(s.EvalPairs);
        var evalPrompts = Enumerable.Range(0, s.EvalSamples).Select(_ => RandomPrompt()).ToArray();
        return new TaskWorld
        {
            Reference = reference, PadTokenId = TaskWorld.PadIdFor(null), TrainPairs = train, EvalPairs = eval,
            DriftMetric = "kl/true", RewardMetric = "reward/true",
            EvalPrompts = evalPrompts, EvalSamplingSeed = random.Next(), ResponseLength = s.ResponseLength, AllowedFrom = firstContent,
            Score = Scorer(TrueReward),
            TrueReward = TrueReward,
            Statistics = new Dictionary<string, double> { ["build/seconds"] = clock.Elapsed.TotalSeconds },
            ReferenceFineTuned = pretrained is null,
        };
    }

    /// <summary>The world of a cache entry this task's <see cref="Build"/> stored: the reward table drawn again from the
    /// seed (the build's first draws), the tiny reference's weights read from the entry (or the pretrained model loaded
    /// as it is), pairs and prompts from the entry.</summary>
    public static TaskWorld Restore(SyntheticTaskSettings s, TaskContext context, StoredTaskBuild stored)
    {
        var random = new Random(s.Seed);
        CausalLanguageModel reference;
        if (s.Model is not null)
        {
            reference = LoadPretrained(s.Model, context.Device, context.AssetsFolder);
            s = s with { VocabularySize = reference.VocabularySize };
        }
        else
        {
            reference = new TinyCausalTransformer(TinyConfig(s), seed: 0, context.Device);
        }
        try
        {
            var scores = RewardTable(s, random, s.Model is null ? 1 : 3);
            double TrueReward(int[] prompt, int[] response) => Reward(s, scores, prompt, response);
            return stored.World(stored.LoadReference(reference)) with { Score = Scorer(TrueReward), TrueReward = TrueReward };
        }
        catch
        {
            reference.Dispose();
            throw;
        }
    }

    private static TinyTransformerConfig TinyConfig(SyntheticTaskSettings s) => new()
    {
        VocabularySize = s.VocabularySize, MaxSequenceLength = 1 + s.PromptLength + s.ResponseLength,
        ModelDim = s.ModelDim, Layers = s.Layers, Heads = s.Heads,
    };

    /// <summary>The ground-truth per-token score table, the build's first draws from <paramref name="random"/>; BOS (never
    /// sampled) and the ids below <paramref name="firstContent"/> score below every content token.</summary>
    private static double[] RewardTable(SyntheticTaskSettings s, Random random, int firstContent)
    {
        int v = s.VocabularySize;
        var scores = new double[v];
        for (int k = 1; k < v; k++) scores[k] = s.TokenRewardScale * Gaussian(random);
        scores[0] = scores.Skip(1).Min() - 1;
        for (int k = 1; k < firstContent; k++) scores[k] = scores[0];
        return scores;
    }

    private static double Reward(SyntheticTaskSettings s, double[] scores, int[] prompt, int[] response)
    {
        double reward = 0;
        foreach (int token in response)
            reward += scores[token] + (Array.IndexOf(prompt, token, 1) >= 0 ? s.PromptBonus : 0);
        return reward;
    }

    private static Func<IReadOnlyList<int[]>, int[][], IReadOnlyDictionary<string, double>> Scorer(Func<int[], int[], double> trueReward) =>
        (prompts, responses) =>
        {
            double reward = 0;
            for (int i = 0; i < prompts.Count; i++) reward += trueReward(prompts[i], responses[i]);
            return new Dictionary<string, double> { ["reward/true"] = reward / prompts.Count };
        };

    private static CausalLanguageModel LoadPretrained(string model, Device device, string? assetsFolder)
    {
        var path = AssetLocator.Resolve(model, assetsFolder);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new ArgumentException($"Task '{TaskName}' setting 'model': '{path}' does not exist; expected a llama2.c .bin or a Hugging Face model folder (relative paths are under the assets folder).");
        return ModelLoader.Load(path, device);
    }

    /// <summary>A prompt: <paramref name="start"/> then <paramref name="length"/> uniform ids in [<paramref name="firstContent"/>, <paramref name="vocabularySize"/>).</summary>
    private static int[] Prompt(Random random, int length, int start, int firstContent, int vocabularySize)
    {
        var prompt = new int[1 + length];
        prompt[0] = start;
        for (int j = 1; j < prompt.Length; j++) prompt[j] = random.Next(firstContent, vocabularySize);
        return prompt;
    }

    /// <summary>SFT batches of the tiny reference: a random prompt and a response from the base chain per row, loss on
    /// the response tokens only.</summary>
    private static Func<SupervisedFineTuning.Batch> BaseChainBatches(SyntheticTaskSettings s, double[,] baseLogits, Random random)
    {
        int v = s.VocabularySize, p = 1 + s.PromptLength, len = p + s.ResponseLength - 1, b = s.SftBatchSize;
        // per-row cumulative distributions of the base chain
        var cdf = new double[v, v];
        for (int a = 0; a < v; a++)
        {
            double max = Enumerable.Range(1, v - 1).Max(k => baseLogits[a, k]), total = 0;
            for (int k = 1; k < v; k++) total += Math.Exp(baseLogits[a, k] - max);
            double running = 0;
            for (int k = 1; k < v; k++) { running += Math.Exp(baseLogits[a, k] - max) / total; cdf[a, k] = running; }
        }
        return () =>
        {
            var inputs = new long[b * len];
            var labels = new long[b * len];
            var mask = new float[b * len];
            for (int i = 0; i < b; i++)
            {
                var sequence = Prompt(random, s.PromptLength, BosTokenId, 1, v).ToList();
                for (int t = 0; t < s.ResponseLength; t++)
                {
                    int previous = sequence[^1];
                    double u = random.NextDouble();
                    int next = v - 1;
                    for (int k = 1; k < v; k++) if (u < cdf[previous, k]) { next = k; break; }
                    sequence.Add(next);
                }
                for (int j = 0; j < len; j++)
                {
                    inputs[i * len + j] = sequence[j];
                    labels[i * len + j] = sequence[j + 1];
                    mask[i * len + j] = j + 1 >= p ? 1 : 0;
                }
            }
            return new SupervisedFineTuning.Batch(inputs, labels, mask, b, len);
        };
    }

    private static double Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
