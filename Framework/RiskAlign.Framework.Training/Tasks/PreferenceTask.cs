using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// A trial's view of a <see cref="TaskWorld"/>: its own frozen copy of the reference (trials may run at once) and the
/// evaluation every task shares: the policy answers the world's held-out prompts with the same random numbers every
/// time, the world scores the answers, and <c>kl/true</c> is their exact sequence KL to the reference.
/// </summary>
public sealed class PreferenceTask : IPreferenceTask
{
    private readonly Device _device;

    /// <summary>A task over <paramref name="world"/> on <paramref name="device"/>; the caller disposes it.</summary>
    public PreferenceTask(string name, TaskWorld world, Device device)
    {
        Name = name;
        World = world;
        _device = device;
        Reference = world.Reference.DeepCopy().Freeze();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The shared build.</summary>
    public TaskWorld World { get; }

    /// <inheritdoc />
    public CausalLanguageModel Reference { get; }

    /// <inheritdoc />
    public int PadTokenId => World.PadTokenId;

    /// <inheritdoc />
    public IReadOnlyList<PreferencePair> TrainPairs => World.TrainPairs;

    /// <inheritdoc />
    public IReadOnlyList<PreferencePair> EvalPairs => World.EvalPairs;

    /// <inheritdoc />
    public string DriftMetric => World.DriftMetric;

    /// <inheritdoc />
    public string RewardMetric => World.RewardMetric;

    /// <summary>Facts about the build (see <see cref="TaskWorld.Statistics"/>).</summary>
    public IReadOnlyDictionary<string, double> BuildStatistics => World.Statistics;

    /// <summary>The text of a prompt and a response decoded together (BOS and EOS left out by the tokenizer).</summary>
    public string Text(int[] prompt, int[] response) =>
        RewardLabelledPairs.Text(World.Tokenizer ?? throw new InvalidOperationException($"Task '{Name}' has no tokenizer."), prompt, response);

    /// <summary>The texts the policy writes at evaluation (prompt and response), first <paramref name="count"/> of them.</summary>
    public IReadOnlyList<string> SampleTexts(CausalLanguageModel policy, int count)
    {
        var (prompts, responses) = Answer(policy, count);
        return prompts.Select((p, i) => Text(p, responses[i])).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Evaluate(CausalLanguageModel policy, CancellationToken cancellationToken)
    {
        if (World.EvalPrompts.Length == 0) return new Dictionary<string, double>();
        cancellationToken.ThrowIfCancellationRequested();
        using var evalMode = policy.InEvalMode();
        var (prompts, responses) = Answer(policy, World.EvalPrompts.Length);
        cancellationToken.ThrowIfCancellationRequested();
        var metrics = new Dictionary<string, double>(World.Score(prompts, responses), StringComparer.Ordinal);
        metrics["kl/true"] = ExactSequenceKl.Mean(policy, Reference, prompts, responses, _device);
        return metrics;
    }

    private (int[][] Prompts, int[][] Responses) Answer(CausalLanguageModel policy, int count)
    {
        using var evalMode = policy.InEvalMode();
        var prompts = World.EvalPrompts[..Math.Min(count, World.EvalPrompts.Length)];
        var responses = ResponseSampler.Sample(policy, prompts, World.ResponseLength, new Random(World.EvalSamplingSeed), _device,
            allowedFrom: World.AllowedFrom, blocked: World.BlockedTokens);
        return (prompts, responses);
    }

    /// <inheritdoc />
    public void Dispose() => Reference.Dispose();
}
