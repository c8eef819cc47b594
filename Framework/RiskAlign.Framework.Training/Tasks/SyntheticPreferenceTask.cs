using System.Diagnostics;
using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Models;
using TorchSharp;
using static TorchSharp.torch;
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
/// The build depends only on the task settings (never on a trial's seed) and is cached in-process per settings
/// and device; every task instance owns its own copy of the reference model.
/// </summary>
public sealed class SyntheticPreferenceTask : IPreferenceTask
{
    /// <summary>Name in sweep specs.</summary>
    public const string TaskName = "synthetic";

    /// <summary>BOS token id (also the pad id: never a response label).</summary>
    public const int BosTokenId = 0;

    private static readonly TaskBuildCache<World> Cache = new();
    private readonly World _world;
    private readonly Device _device;

    private SyntheticPreferenceTask(World world, Device device)
    {
        _world = world;
        _device = device;
        Reference = world.Reference.DeepCopy().Freeze();
    }

    /// <summary>Builds (or takes from the in-process cache) the task of these settings on <paramref name="device"/>.</summary>
    public static SyntheticPreferenceTask Create(SyntheticTaskSettings settings, Device device, string? assetsFolder = null)
    {
        string key = settings.CacheKey + "|" + device + "|" + assetsFolder;
        return new SyntheticPreferenceTask(Cache.GetOrBuild(key, () => World.Build(settings, device, assetsFolder)), device);
    }

    /// <summary>Builds without the cache (determinism tests).</summary>
    internal static SyntheticPreferenceTask CreateUncached(SyntheticTaskSettings settings, Device device, string? assetsFolder = null)
        => new(World.Build(settings, device, assetsFolder), device);

    /// <summary>Forgets every cached build (tests; freeing memory between sweeps).</summary>
    public static void ClearCache() => Cache.Clear();

    /// <inheritdoc />
    public string Name => TaskName;

    /// <summary>The settings this task was built from.</summary>
    public SyntheticTaskSettings Settings => _world.Settings;

    /// <inheritdoc />
    public CausalLanguageModel Reference { get; }

    /// <inheritdoc />
    public int PadTokenId => BosTokenId; // never a response label, whatever the model

    /// <inheritdoc />
    public IReadOnlyList<PreferencePair> TrainPairs => _world.TrainPairs;

    /// <inheritdoc />
    public IReadOnlyList<PreferencePair> EvalPairs => _world.EvalPairs;

    /// <inheritdoc />
    public string DriftMetric => "kl/true";

    /// <inheritdoc />
    public string RewardMetric => "reward/true";

    /// <summary>Seconds the reference SFT and pair sampling took when this build was made.</summary>
    public double BuildSeconds => _world.BuildSeconds;

    /// <summary>The ground-truth reward of a response to a prompt (prompt with its BOS).</summary>
    public double TrueReward(int[] prompt, int[] response) => _world.TrueReward(prompt, response);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(CausalLanguageModel policy, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var evalMode = policy.InEvalMode();
        IReadOnlyList<int[]> prompts = _world.EvalPrompts;
        int length = _world.Settings.ResponseLength;
        var responses = ResponseSampler.Sample(policy, prompts, length, new Random(_world.EvalSamplingSeed), _device, allowedFrom: _world.FirstContentToken);
        cancellationToken.ThrowIfCancellationRequested();
        double reward = 0;
        for (int i = 0; i < prompts.Count; i++) reward += _world.TrueReward(prompts[i], responses[i]);
        double kl = ExactSequenceKl.Mean(policy, Reference, prompts, responses, _device);
        return new Dictionary<string, double>
        {
            ["reward/true"] = reward / prompts.Count,
            ["kl/true"] = kl,
        };
    }

    /// <inheritdoc />
    public void Dispose() => Reference.Dispose();

    /// <summary>Everything the settings determine: reward, reference model, pairs, evaluation prompts.</summary>
    private sealed class World
    {
        public required SyntheticTaskSettings Settings { get; init; }
        public required double[] TokenScores { get; init; }
        public required CausalLanguageModel Reference { get; init; }
        public required PreferencePair[] TrainPairs { get; init; }
        public required PreferencePair[] EvalPairs { get; init; }
        public required int[][] EvalPrompts { get; init; }
        public required int EvalSamplingSeed { get; init; }
        /// <summary>Token that opens every prompt: 0 for the tiny transformer, the model's BOS for a pretrained one.</summary>
        public int PromptStart { get; init; }
        /// <summary>Smallest token id prompts and responses use (0 and the special tokens below it are left out).</summary>
        public int FirstContentToken { get; init; } = 1;
        public double BuildSeconds { get; init; }

        public double TrueReward(int[] prompt, int[] response)
        {
            double reward = 0;
            foreach (int token in response)
                reward += TokenScores[token] + (Array.IndexOf(prompt, token, 1) >= 0 ? Settings.PromptBonus : 0);
            return reward;
        }

        public static World Build(SyntheticTaskSettings s, Device device, string? assetsFolder)
        {
            var clock = Stopwatch.StartNew();
            var random = new Random(s.Seed);
            CausalLanguageModel? pretrained = s.Model is null ? null : LoadPretrained(s.Model, device, assetsFolder);
            if (pretrained is not null)
            {
                if (1 + s.PromptLength + s.ResponseLength > pretrained.MaxSequenceLength)
                    throw new ArgumentException($"Task '{TaskName}': prompt_length + response_length + 1 = {1 + s.PromptLength + s.ResponseLength} exceeds the model's {pretrained.MaxSequenceLength} positions.");
                s = s with { VocabularySize = pretrained.VocabularySize };
            }
            int v = s.VocabularySize;
            // llama2.c vocabularies hold unk/bos/eos at 0/1/2: prompts open with BOS and content starts at 3.
            int promptStart = pretrained is null ? BosTokenId : 1, firstContent = pretrained is null ? 1 : 3;

            // Ground-truth reward table; BOS (never sampled) scores below every content token.
            var scores = new double[v];
            for (int k = 1; k < v; k++) scores[k] = s.TokenRewardScale * Gaussian(random);
            scores[0] = scores.Skip(1).Min() - 1;
            for (int k = 1; k < firstContent; k++) scores[k] = scores[0];

            // Base bigram chain over content tokens: logits [V, V] (row = previous token), column 0 (BOS) excluded.
            var baseLogits = new double[v, v];
            for (int a = 0; a < v; a++)
                for (int b = 1; b < v; b++) baseLogits[a, b] = s.BaseTemperature * Gaussian(random);

            var config = new TinyTransformerConfig
            {
                VocabularySize = v, MaxSequenceLength = 1 + s.PromptLength + s.ResponseLength,
                ModelDim = s.ModelDim, Layers = s.Layers, Heads = s.Heads,
            };
            CausalLanguageModel reference;
            if (pretrained is not null)
            {
                reference = pretrained;
            }
            else
            {
                var tiny = new TinyCausalTransformer(config, random.Next(), device);
                SupervisedFineTune(tiny, s, baseLogits, random, device);
                reference = tiny;
            }
            reference.Freeze();

            var world = new World
            {
                Settings = s, TokenScores = scores, Reference = reference,
                TrainPairs = [], EvalPairs = [], EvalPrompts = [], EvalSamplingSeed = 0,
                PromptStart = promptStart, FirstContentToken = firstContent,
            };
            var train = SamplePairs(world, s.TrainPairs, random, device);
            var eval = SamplePairs(world, s.EvalPairs, random, device);
            var evalPrompts = Enumerable.Range(0, s.EvalSamples).Select(_ => world.RandomPrompt(random)).ToArray();
            return new World
            {
                Settings = s, TokenScores = scores, Reference = reference, TrainPairs = train, EvalPairs = eval,
                EvalPrompts = evalPrompts, EvalSamplingSeed = random.Next(), BuildSeconds = clock.Elapsed.TotalSeconds,
                PromptStart = promptStart, FirstContentToken = firstContent,
            };
        }

        private static CausalLanguageModel LoadPretrained(string model, Device device, string? assetsFolder)
        {
            var path = AssetLocator.Resolve(model, assetsFolder);
            if (!File.Exists(path) && !Directory.Exists(path))
                throw new ArgumentException($"Task '{TaskName}' setting 'model': '{path}' does not exist; expected a llama2.c .bin or a Hugging Face model folder (relative paths are under the assets folder).");
            return ModelLoader.Load(path, device);
        }

        private int[] RandomPrompt(Random random)
        {
            var prompt = new int[1 + Settings.PromptLength];
            prompt[0] = PromptStart;
            for (int j = 1; j < prompt.Length; j++) prompt[j] = random.Next(FirstContentToken, Settings.VocabularySize);
            return prompt;
        }

        private static PreferencePair[] SamplePairs(World world, int count, Random random, Device device)
        {
            var s = world.Settings;
            var prompts = Enumerable.Range(0, count).Select(_ => world.RandomPrompt(random)).ToArray();
            var first = ResponseSampler.Sample(world.Reference, prompts, s.ResponseLength, random, device, allowedFrom: world.FirstContentToken);
            var second = ResponseSampler.Sample(world.Reference, prompts, s.ResponseLength, random, device, allowedFrom: world.FirstContentToken);
            var pairs = new PreferencePair[count];
            for (int i = 0; i < count; i++)
            {
                double margin = world.TrueReward(prompts[i], first[i]) - world.TrueReward(prompts[i], second[i]);
                bool firstWins = random.NextDouble() < 1 / (1 + Math.Exp(-margin)); // Bradley–Terry
                pairs[i] = firstWins ? new PreferencePair(prompts[i], first[i], second[i]) : new PreferencePair(prompts[i], second[i], first[i]);
            }
            return pairs;
        }

        private static int[] RandomPrompt(SyntheticTaskSettings s, Random random)
        {
            var prompt = new int[1 + s.PromptLength];
            prompt[0] = BosTokenId;
            for (int j = 1; j < prompt.Length; j++) prompt[j] = random.Next(1, s.VocabularySize);
            return prompt;
        }

        /// <summary>Cross-entropy on response tokens drawn from the base chain; AdamW, constant learning rate.</summary>
        private static void SupervisedFineTune(TinyCausalTransformer model, SyntheticTaskSettings s, double[,] baseLogits, Random random, Device device)
        {
            if (s.SftSteps == 0) return;
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
            model.train();
            using var optimizer = optim.AdamW(model.parameters(), lr: s.SftLearningRate);
            var inputs = new long[b * len];
            var labels = new long[b * len];
            var mask = new float[b * len];
            for (int step = 0; step < s.SftSteps; step++)
            {
                using var scope = NewDisposeScope();
                for (int i = 0; i < b; i++)
                {
                    var sequence = RandomPrompt(s, random).ToList();
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
                var logits = model.Forward(tensor(inputs, [b, len], device: device)); // [B, T, V]
                var logp = nn.functional.log_softmax(logits, -1);
                var target = tensor(labels, [b, len], device: device);
                var weights = tensor(mask, [b, len], device: device);
                var nll = -(logp.gather(-1, target.unsqueeze(-1)).squeeze(-1) * weights).sum() / weights.sum();
                optimizer.zero_grad();
                nll.backward();
                optimizer.step();
            }
        }

        private static double Gaussian(Random random)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }
    }
}
