using RiskAlign.Framework.Data;
using RiskAlign.Framework.Models;
using RiskAlign.Framework.Tasks;

namespace RiskAlign.Benchmarks;

/// <summary>
/// The peer benchmark's data: a frozen reference loaded from a checkpoint folder and a pool of random-token pairs, all
/// of one length (prompt P, responses R, same prompt for chosen and rejected), as <c>benchmarks/peer/train_step_peer.py</c>
/// makes them. One evaluation pair, so the trainer's evaluations (not part of its step time) stay cheap.
/// </summary>
internal sealed class RandomPairsTask : IPreferenceTask
{
    public RandomPairsTask(CausalLanguageModel reference, int poolPairs, int prompt, int response, int seed)
    {
        Reference = reference.Freeze();
        var random = new Random(seed);
        int[] Tokens(int n) => Enumerable.Range(0, n).Select(_ => random.Next(reference.VocabularySize)).ToArray();
        PreferencePair Pair()
        {
            var p = Tokens(prompt);
            return new PreferencePair(p, Tokens(response), Tokens(response));
        }
        TrainPairs = Enumerable.Range(0, poolPairs).Select(_ => Pair()).ToList();
        EvalPairs = [Pair()];
    }

    public string Name => "peer-random-pairs";
    public CausalLanguageModel Reference { get; }
    public int PadTokenId => 0;
    public IReadOnlyList<PreferencePair> TrainPairs { get; }
    public IReadOnlyList<PreferencePair> EvalPairs { get; }
    public string DriftMetric => "kl/sequence";
    public string RewardMetric => "reward/accuracy";

    public IReadOnlyDictionary<string, double> Evaluate(CausalLanguageModel policy, CancellationToken cancellationToken) =>
        new Dictionary<string, double>();

    public void Dispose() => Reference.Dispose();
}
