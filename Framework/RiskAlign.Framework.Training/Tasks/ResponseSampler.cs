using RiskAlign.Framework.Models;
using TorchSharp;
using static TorchSharp.torch;
using RiskAlign.Abstractions;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Ancestral sampling of fixed-length responses from a causal model, at temperature 1. The random draws come
/// from a <see cref="Random"/> on the CPU, so a seed gives the same samples on any device and, for two models,
/// the same uniform numbers (common random numbers: comparisons between policies have less noise).
/// </summary>
internal static class ResponseSampler
{
    /// <summary>Samples one response per prompt; all prompts must have the same length.</summary>
    /// <param name="allowedFrom">Smallest token id that may be sampled (1 keeps BOS = 0 out of responses).</param>
    /// <param name="blocked">Further ids that are never sampled (for example a tokenizer's BOS and EOS, so a fixed-length
    /// response stays one piece of text); the model's distribution is renormalised over the rest.</param>
    public static int[][] Sample(CausalLanguageModel model, IReadOnlyList<int[]> prompts, int responseLength, Random random,
        Device device, int allowedFrom = 0, IReadOnlyCollection<int>? blocked = null, int batchSize = 512)
    {
        var responses = new int[prompts.Count][];
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, prompts.Count - start);
            var chunk = Enumerable.Range(start, n).Select(i => prompts[i]).ToArray();
            var sampled = SampleChunk(model, chunk, responseLength, random, device, allowedFrom, blocked?.Select(id => (long)id).ToArray() ?? []);
            Array.Copy(sampled, 0, responses, start, n);
        }
        return responses;
    }

    private static int[][] SampleChunk(CausalLanguageModel model, int[][] prompts, int responseLength, Random random, Device device,
        int allowedFrom, long[] blocked)
    {
        int n = prompts.Length, p = prompts[0].Length;
        if (prompts.Any(x => x.Length != p)) throw new ArgumentException("ResponseSampler needs prompts of equal length.");
        int v = model.VocabularySize;
        var sequences = prompts.Select(x => x.ToList()).ToArray();
        // One buffer for every step: a fresh n·V array per token would land on the large-object heap and trigger a
        // full GC every few tokens; those GCs run finalizers, and TorchSharp's implicitly created Scalars are not kept
        // alive across their native calls, so frequent finalization turns into rare libtorch errors elsewhere.
        var probs = new float[n * v];
        using var _ = no_grad();
        for (int t = 0; t < responseLength; t++)
        {
            using var scope = NewDisposeScope();
            int len = p + t;
            var flat = new long[n * len];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < len; j++) flat[i * len + j] = sequences[i][j];
            var ids = tensor(flat, [n, len], device: device);
            // next-token distribution [N, V] from the last position
            var last = model.Forward(ids).select(1, len - 1).to_type(ScalarType.Float32);
            if (allowedFrom > 0) last.narrow(1, 0, allowedFrom).fill_(HeldScalars.NegativeInfinity);
            if (blocked.Length > 0) last.index_fill_(1, tensor(blocked, device: device), HeldScalars.NegativeInfinity);
            last.softmax(-1).cpu().data<float>().CopyTo(probs);
            for (int i = 0; i < n; i++)
                sequences[i].Add(Draw(probs.AsSpan(i * v, v), random.NextDouble()));
        }
        return sequences.Select(s => s.Skip(p).ToArray()).ToArray();
    }

    private static int Draw(ReadOnlySpan<float> probs, double u)
    {
        double cumulative = 0;
        int lastPositive = 0;
        for (int k = 0; k < probs.Length; k++)
        {
            if (probs[k] <= 0) continue;
            lastPositive = k;
            cumulative += probs[k];
            if (u < cumulative) return k;
        }
        return lastPositive; // rounding: u beyond the float sum
    }
}
