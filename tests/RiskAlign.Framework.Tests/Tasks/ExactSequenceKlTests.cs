namespace RiskAlign.Framework.Tests.Tasks;

public sealed class ExactSequenceKlTests
{
    [Fact]
    public void Batched_exact_KL_equals_the_per_sample_sum_over_positions_and_vocabulary()
    {
        var config = new TinyTransformerConfig { VocabularySize = 12, MaxSequenceLength = 16 };
        using var policy = new TinyCausalTransformer(config, seed: 1);
        using var reference = new TinyCausalTransformer(config, seed: 2);
        var random = new Random(4);
        var prompts = Enumerable.Range(0, 7).Select(_ => Enumerable.Range(0, 3).Select(_ => random.Next(12)).ToArray()).ToArray();
        var responses = Enumerable.Range(0, 7).Select(_ => Enumerable.Range(0, 5).Select(_ => random.Next(12)).ToArray()).ToArray();

        double expected = OneAtATime(policy, reference, prompts, responses);
        double batched = ExactSequenceKl.Mean(policy, reference, prompts, responses, CPU, batchSize: 3);
        Assert.True(expected > 1e-3, "two different random models should drift apart");
        Assert.Equal(expected, batched, 1e-5 * expected);
    }

    [Fact]
    public void Prompts_of_different_lengths_are_batched_by_length_and_give_the_per_sample_mean()
    {
        var config = new TinyTransformerConfig { VocabularySize = 12, MaxSequenceLength = 16 };
        using var policy = new TinyCausalTransformer(config, seed: 1);
        using var reference = new TinyCausalTransformer(config, seed: 2);
        var random = new Random(5);
        var prompts = Enumerable.Range(0, 9).Select(i => Enumerable.Range(0, 2 + i % 3).Select(_ => random.Next(12)).ToArray()).ToArray();
        var responses = Enumerable.Range(0, 9).Select(_ => Enumerable.Range(0, 4).Select(_ => random.Next(12)).ToArray()).ToArray();

        double expected = OneAtATime(policy, reference, prompts, responses);
        Assert.Equal(expected, ExactSequenceKl.Mean(policy, reference, prompts, responses, CPU, batchSize: 2), 1e-5 * expected);
    }

    // One sample at a time, Σ_t Σ_v π(v|·)(log π(v|·) − log π_ref(v|·)) over the response positions, in double; the mean over samples.
    private static double OneAtATime(CausalLanguageModel policy, CausalLanguageModel reference, int[][] prompts, int[][] responses)
    {
        double expected = 0;
        using var _ = no_grad();
        for (int i = 0; i < prompts.Length; i++)
        {
            var ids = prompts[i].Concat(responses[i]).Select(x => (long)x).ToArray();
            using var input = tensor(ids, [1, ids.Length]);
            using var logp = nn.functional.log_softmax(policy.Forward(input), -1).to_type(ScalarType.Float64);
            using var logq = nn.functional.log_softmax(reference.Forward(input), -1).to_type(ScalarType.Float64);
            var p = logp.data<double>().ToArray();
            var q = logq.data<double>().ToArray();
            for (int t = prompts[i].Length - 1; t < ids.Length - 1; t++)
                for (int v = 0; v < 12; v++)
                    expected += Math.Exp(p[t * 12 + v]) * (p[t * 12 + v] - q[t * 12 + v]);
        }
        return expected / prompts.Length;
    }
}
