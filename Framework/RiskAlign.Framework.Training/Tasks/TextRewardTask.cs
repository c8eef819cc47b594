using RiskAlign.Framework.Models;
using RiskAlign.Framework.Tokenizers;
using static TorchSharp.torch;
using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// A preference task on generated text with a known reward (<c>stories-sentiment</c>, <c>emotion-shift</c>): pairs are
/// two reference samples per prompt labelled by Bradley–Terry on the reward; at every evaluation the policy answers
/// the same held-out prompts with the same random numbers, and the task reports the reward of those answers
/// (<c>reward/true</c> and any further scores) against their exact sequence KL to the reference (<c>kl/true</c>):
/// the DPO paper's reward-vs-KL frontier. Responses have a fixed length, with BOS/EOS/&lt;unk&gt; never sampled.
/// </summary>
public sealed class TextRewardTask : IPreferenceTask
{
    private readonly TextRewardWorld _world;
    private readonly Device _device;

    internal TextRewardTask(string name, TextRewardWorld world, Device device)
    {
        Name = name;
        _world = world;
        _device = device;
        Reference = world.Reference.DeepCopy().Freeze();
    }

    /// <summary>The task of <paramref name="settingsKey"/> on this device and assets folder, built once per process.</summary>
    internal static TextRewardTask FromCache(string name, TaskBuildCache<TextRewardWorld> cache, string settingsKey, Device device,
        string? assetsFolder, Func<TextRewardWorld> build) =>
        new(name, cache.GetOrBuild(settingsKey + "|" + device + "|" + assetsFolder, build), device);

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public CausalLanguageModel Reference { get; }

    /// <summary>The reference's tokenizer.</summary>
    public ITextTokenizer Tokenizer => _world.Tokenizer;

    /// <inheritdoc />
    public int PadTokenId => _world.PadTokenId;

    /// <inheritdoc />
    public IReadOnlyList<PreferencePair> TrainPairs => _world.TrainPairs;

    /// <inheritdoc />
    public IReadOnlyList<PreferencePair> EvalPairs => _world.EvalPairs;

    /// <inheritdoc />
    public string DriftMetric => "kl/true";

    /// <inheritdoc />
    public string RewardMetric => "reward/true";

    /// <summary>Facts about the build: label tie fraction and agreement with the reward, mean reward of the
    /// reference's samples, and task-specific ones (classifier accuracy, SFT loss, build seconds).</summary>
    public IReadOnlyDictionary<string, double> BuildStatistics => _world.Statistics;

    /// <summary>The decoded text of a pair's prompt and one of its responses.</summary>
    public string Text(int[] prompt, int[] response) => _world.Text(prompt, response);

    /// <summary>The texts the policy writes at evaluation (prompt and response), first <paramref name="count"/> of them.</summary>
    public IReadOnlyList<string> SampleTexts(CausalLanguageModel policy, int count) =>
        Answer(policy, count).Texts;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(CausalLanguageModel policy, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var evalMode = policy.InEvalMode();
        var (prompts, responses, texts) = Answer(policy, _world.EvalPrompts.Length);
        cancellationToken.ThrowIfCancellationRequested();
        var metrics = new Dictionary<string, double>(_world.ScoreTexts(texts), StringComparer.Ordinal);
        foreach (var (name, value) in _world.Statistics) metrics["task/" + name] = value; // constant, so every report row carries the build's facts
        metrics["kl/true"] = ExactSequenceKl.Mean(policy, Reference, prompts, responses, _device);
        return metrics;
    }

    private (int[][] Prompts, int[][] Responses, string[] Texts) Answer(CausalLanguageModel policy, int count)
    {
        using var evalMode = policy.InEvalMode();
        var prompts = _world.EvalPrompts[..Math.Min(count, _world.EvalPrompts.Length)];
        var responses = ResponseSampler.Sample(policy, prompts, _world.ResponseLength, new Random(_world.EvalSamplingSeed), _device,
            blocked: _world.BlockedTokens);
        var texts = prompts.Select((p, i) => _world.Text(p, responses[i])).ToArray();
        return (prompts, responses, texts);
    }

    /// <inheritdoc />
    public void Dispose() => Reference.Dispose();
}
