namespace RiskAlign.Framework.Tests.Generation;

public sealed class BatchSamplerTests
{
    private const int Vocabulary = 40;

    /// <summary>Every parameter N(0, 0.3²) from a fixed torch generator, so no architecture's default init (ones, zeros)
    /// leaves the next-token distribution flat.</summary>
    private static T Randomised<T>(T model, ulong seed) where T : CausalLanguageModel
    {
        using var generator = new Generator(seed);
        using var _ = no_grad();
        foreach (var parameter in model.parameters())
        {
            using var noise = randn(parameter.shape, generator: generator);
            using var scale = 0.3.ToScalar();
            parameter.copy_(noise.mul(scale));
        }
        return model.Freeze() is T same ? same : model;
    }

    public static TheoryData<string> Architectures => new() { "tiny", "llama", "gpt2", "gpt-neox" };

    private static CausalLanguageModel Build(string architecture) => architecture switch
    {
        "tiny" => Randomised(new TinyCausalTransformer(new TinyTransformerConfig { VocabularySize = Vocabulary, MaxSequenceLength = 24 }, seed: 1), 11),
        "llama" => Randomised(new LlamaModel(new LlamaConfig(Dim: 16, HiddenDim: 32, Layers: 2, Heads: 4, KvHeads: 2, VocabularySize: Vocabulary, MaxSequenceLength: 24)), 12),
        "gpt2" => Randomised(new Gpt2Model(new Gpt2Config(Dim: 16, Layers: 2, Heads: 2, VocabularySize: Vocabulary, MaxSequenceLength: 24, InnerDim: 32)), 13),
        "gpt-neox" => Randomised(new GptNeoXModel(new GptNeoXConfig(Dim: 16, Layers: 2, Heads: 2, InnerDim: 32, VocabularySize: Vocabulary, MaxSequenceLength: 24)), 14),
        _ => throw new ArgumentOutOfRangeException(nameof(architecture)),
    };

    private static int[][] Prompts(int count, int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(Vocabulary)).ToArray()).ToArray();
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void The_KV_cache_gives_the_same_ids_as_full_forwards_for_the_same_uniforms(string architecture)
    {
        using var model = Build(architecture);
        Assert.IsAssignableFrom<IKvCacheModel>(model);
        var prompts = Prompts(6, 4, seed: 3);
        var cached = BatchSampler.Sample(model, prompts, 16, new Random(7), DrawSettings.Plain, useKvCache: true);
        var uncached = BatchSampler.Sample(model, prompts, 16, new Random(7), DrawSettings.Plain, useKvCache: false);
        Assert.Equal(uncached, cached);
        Assert.True(cached.SelectMany(r => r).Distinct().Count() > 5, "a flat distribution would make this test vacuous");
    }

    [Fact]
    public void The_batched_sampler_draws_the_ids_the_earlier_host_side_sampler_drew()
    {
        // The earlier ResponseSampler (before KV cache and device draws): full forward, softmax copied to the host,
        // one Random.NextDouble() per prompt per step, inverse CDF summed in double. Written out here as the reference.
        // The device draw sums in float32, so an id could differ only where u lies within float32 rounding of a
        // boundary (~1e-7 a draw; 126 draws here).
        using var model = Build("tiny");
        var prompts = Prompts(9, 3, seed: 5);
        var settings = DrawSettings.Plain with { AllowedFrom = 1, Blocked = [5, 6] };
        var sampled = BatchSampler.Sample(model, prompts, 14, new Random(21), settings, batchSize: 4);
        var expected = new int[prompts.Length][];
        var random = new Random(21);
        for (int start = 0; start < prompts.Length; start += 4)
        {
            var chunk = prompts.Skip(start).Take(4).Select(p => p.ToList()).ToArray();
            for (int t = 0; t < 14; t++)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                int len = chunk[0].Count;
                var ids = tensor(chunk.SelectMany(s => s.Select(i => (long)i)).ToArray(), [chunk.Length, len]);
                var last = model.Forward(ids).select(1, len - 1).to_type(ScalarType.Float32);
                last.narrow(1, 0, 1).fill_(HeldScalars.NegativeInfinity);
                last.index_fill_(1, tensor(new long[] { 5, 6 }), HeldScalars.NegativeInfinity);
                var probs = last.softmax(-1).cpu().data<float>().ToArray();
                for (int i = 0; i < chunk.Length; i++)
                {
                    double u = random.NextDouble(), cumulative = 0;
                    int pick = -1, lastPositive = 0;
                    for (int k = 0; k < Vocabulary && pick < 0; k++)
                    {
                        float p = probs[i * Vocabulary + k];
                        if (p <= 0) continue;
                        lastPositive = k;
                        cumulative += p;
                        if (u < cumulative) pick = k;
                    }
                    chunk[i].Add(pick < 0 ? lastPositive : pick);
                }
            }
            for (int i = 0; i < chunk.Length; i++) expected[start + i] = chunk[i].Skip(3).ToArray();
        }
        Assert.Equal(expected, sampled);
        Assert.DoesNotContain(sampled.SelectMany(r => r), id => id is 0 or 5 or 6);
    }

    [Fact]
    public void Drawn_frequencies_match_the_model_next_token_distribution_by_chi_square()
    {
        // Known distribution: the model's own softmax at the prompt's last position (a full forward). 6000 draws of one
        // token from the same prompt; Pearson's statistic against it, 39 degrees of freedom, must stay below the
        // 0.999 quantile of χ²(39), 72.05 (tables). The seed is fixed, so the test is deterministic.
        using var model = Build("tiny");
        int[] prompt = [3, 9, 27];
        double[] expected;
        using (no_grad())
        {
            using var logits = model.Forward(tensor(prompt.Select(i => (long)i).ToArray(), [1, 3]));
            using var probabilities = logits[0, -1].softmax(-1).to_type(ScalarType.Float64);
            expected = probabilities.data<double>().ToArray();
        }
        const int draws = 6000;
        var sampled = BatchSampler.Sample(model, Enumerable.Repeat(prompt, draws).ToArray(), 1, new Random(99), DrawSettings.Plain);
        var counts = new int[Vocabulary];
        foreach (var response in sampled) counts[response[0]]++;
        double chiSquare = 0;
        for (int k = 0; k < Vocabulary; k++) chiSquare += Math.Pow(counts[k] - draws * expected[k], 2) / (draws * expected[k]);
        Assert.True(chiSquare < 72.05, $"χ² = {chiSquare:F1} over 39 degrees of freedom");
        Assert.True(expected.Max() > 2.0 / Vocabulary, "the distribution should not be flat");
    }

    [Fact]
    public void Two_identical_policies_draw_identical_samples_and_a_new_seed_changes_them()
    {
        using var policy = Build("gpt2");
        using var copy = policy.DeepCopy();
        var prompts = Prompts(8, 2, seed: 4);
        var a = BatchSampler.Sample(policy, prompts, 10, new Random(1), DrawSettings.Plain);
        var b = BatchSampler.Sample(copy, prompts, 10, new Random(1), DrawSettings.Plain);
        var c = BatchSampler.Sample(policy, prompts, 10, new Random(2), DrawSettings.Plain);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Prompts_of_different_lengths_are_sampled_as_if_each_length_ran_alone()
    {
        using var model = Build("llama");
        var shortOnes = Prompts(3, 2, seed: 8);
        var longOnes = Prompts(3, 5, seed: 9);
        var mixed = BatchSampler.Sample(model, [shortOnes[0], longOnes[0], shortOnes[1], longOnes[1], shortOnes[2], longOnes[2]], 6,
            new Random(3), DrawSettings.Plain);
        var random = new Random(3); // groups in order of first appearance: the short prompts' steps come first
        var expectedShort = BatchSampler.Sample(model, shortOnes, 6, random, DrawSettings.Plain);
        var expectedLong = BatchSampler.Sample(model, longOnes, 6, random, DrawSettings.Plain);
        Assert.Equal([expectedShort[0], expectedLong[0], expectedShort[1], expectedLong[1], expectedShort[2], expectedLong[2]], mixed);
    }

    [Fact]
    public void Top_k_one_and_greedy_agree_for_the_whole_batch()
    {
        using var model = Build("gpt-neox");
        var prompts = Prompts(5, 3, seed: 6);
        var greedy = BatchSampler.Sample(model, prompts, 8, new Random(1), DrawSettings.Plain with { Temperature = 0 });
        var topOne = BatchSampler.Sample(model, prompts, 8, new Random(2), DrawSettings.Plain with { TopK = 1 });
        Assert.Equal(greedy, topOne);
    }
}
