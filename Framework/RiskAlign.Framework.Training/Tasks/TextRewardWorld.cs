using RiskAlign.Framework.Models;
using RiskAlign.Framework.Tokenizers;
using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Everything a <see cref="TextRewardTask"/> is built from, shared by the trials of a sweep (cached per settings):
/// the frozen reference, its tokenizer, labelled pairs, the held-out prompts the policy answers at evaluation and
/// how the answers are scored.
/// </summary>
internal sealed record TextRewardWorld
{
    public required CausalLanguageModel Reference { get; init; }
    public required ITextTokenizer Tokenizer { get; init; }
    public required PreferencePair[] TrainPairs { get; init; }
    public required PreferencePair[] EvalPairs { get; init; }
    /// <summary>Held-out prompts of equal length (BOS first).</summary>
    public required int[][] EvalPrompts { get; init; }
    /// <summary>Seed of the evaluation's random numbers: every evaluation of every policy draws the same ones.</summary>
    public required int EvalSamplingSeed { get; init; }
    public required int ResponseLength { get; init; }
    /// <summary>Ids never sampled into a response (see <see cref="PretrainedReference.BlockedInResponses"/>).</summary>
    public required int[] BlockedTokens { get; init; }
    /// <summary>Mean metrics of the policy's decoded texts (prompt and response), <c>reward/true</c> among them.</summary>
    public required Func<IReadOnlyList<string>, IReadOnlyDictionary<string, double>> ScoreTexts { get; init; }
    /// <summary>Facts about the build (label statistics, classifier accuracy, SFT loss, seconds), for reports and tests.</summary>
    public IReadOnlyDictionary<string, double> Statistics { get; init; } = new Dictionary<string, double>();

    /// <summary>Pad id: llama2.c's &lt;unk&gt; (0) where BOS is 1, else the tokenizer's EOS; never a response label.</summary>
    public int PadTokenId => Tokenizer.BosId == 1 ? 0 : Tokenizer.EosId ?? 0;

    /// <summary>The text a reward scores: prompt (without BOS) and response decoded together.</summary>
    public string Text(int[] prompt, int[] response) => TextOf(Tokenizer, prompt, response);

    /// <summary>The text of a prompt and a response decoded together (BOS and EOS left out by the tokenizer).</summary>
    public static string TextOf(ITextTokenizer tokenizer, int[] prompt, int[] response) => tokenizer.Decode([.. prompt, .. response]);
}
