using RiskAlign.Framework.Data;
using RiskAlign.Framework.Tokenizers;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// What a task build produces, the one shape every task shares: the frozen reference, the labelled pairs, the held-out
/// prompts the policy answers at every evaluation and how the answers are scored. Built once per settings and device
/// (<see cref="TaskCatalog"/> caches it) and shared by the trials; each trial's <see cref="PreferenceTask"/> holds its
/// own copy of the reference.
/// </summary>
public sealed record TaskWorld
{
    /// <summary>The frozen reference model (eval mode, no grad).</summary>
    public required CausalLanguageModel Reference { get; init; }
    /// <summary>Token id that pads sequences on the right; never a response label (<see cref="PadIdFor"/>).</summary>
    public required int PadTokenId { get; init; }
    /// <summary>Training pairs.</summary>
    public required PreferencePair[] TrainPairs { get; init; }
    /// <summary>Held-out pairs (reward accuracy, sequential KL).</summary>
    public required PreferencePair[] EvalPairs { get; init; }
    /// <summary>The metric the Pareto front minimises.</summary>
    public required string DriftMetric { get; init; }
    /// <summary>The metric the Pareto front maximises.</summary>
    public required string RewardMetric { get; init; }

    /// <summary>Held-out prompts (of any lengths) the policy answers at every evaluation; empty = the task has no metrics
    /// of its own (the trainer's held-out preference metrics are the measurement).</summary>
    public int[][] EvalPrompts { get; init; } = [];
    /// <summary>Seed of the evaluation's random numbers: every evaluation of every policy draws the same ones.</summary>
    public int EvalSamplingSeed { get; init; }
    /// <summary>Tokens in every evaluation response.</summary>
    public int ResponseLength { get; init; }
    /// <summary>Smallest token id a response may contain.</summary>
    public int AllowedFrom { get; init; }
    /// <summary>Further ids never sampled into a response (<see cref="PretrainedReference.BlockedInResponses"/>).</summary>
    public int[] BlockedTokens { get; init; } = [];
    /// <summary>The task's metrics of the policy's answers (prompts, responses), <c>reward/true</c> among them;
    /// <c>kl/true</c> is added by <see cref="PreferenceTask.Evaluate"/>.</summary>
    public Func<IReadOnlyList<int[]>, int[][], IReadOnlyDictionary<string, double>> Score { get; init; } =
        (_, _) => new Dictionary<string, double>();

    /// <summary>The reference's tokenizer, where the task has one (text tasks).</summary>
    public ITextTokenizer? Tokenizer { get; init; }
    /// <summary>The ground-truth reward of a response to a prompt, where the task knows it per token sequence.</summary>
    public Func<int[], int[], double>? TrueReward { get; init; }
    /// <summary>Facts about the build (label statistics, classifier accuracy, SFT loss, seconds), for reports and tests.</summary>
    public IReadOnlyDictionary<string, double> Statistics { get; init; } = new Dictionary<string, double>();

    /// <summary>Whether the build changed the reference's weights (an SFT): a task-build cache entry then stores them.</summary>
    public bool ReferenceFineTuned { get; init; }
    /// <summary>Writes what the task needs besides the world's data to restore it from a cache entry (a trained
    /// classifier) into the entry folder it is given; null = nothing.</summary>
    public Action<string>? SaveArtifacts { get; init; }

    /// <summary>The one pad rule: llama2.c's &lt;unk&gt; (0) where BOS is 1, else the tokenizer's EOS; 0 (BOS of the tiny
    /// vocabulary) without a tokenizer. Never a response label: responses never contain these ids.</summary>
    public static int PadIdFor(ITextTokenizer? tokenizer) =>
        tokenizer is null || tokenizer.BosId == 1 ? 0 : tokenizer.EosId ?? 0;
}
