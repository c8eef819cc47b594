using RiskAlign.Framework.Models;

namespace RiskAlign.Framework.Generation;

/// <summary>
/// Fixed-length ancestral sampling of many prompts at once, KV-cached and drawn on the model's device (task building
/// and evaluation). Prompts of equal length run as one batch (in chunks of <c>batchSize</c>); prompts of several
/// lengths are grouped by length, so no padding or position mask is ever needed.
/// Common random numbers: each step of a chunk takes one uniform per prompt from <paramref name="random"/> (prompt
/// order within the chunk, chunk after chunk), moved to the device; <see cref="TokenDraw"/> inverts the CDF there. A
/// seed thus fixes the noise whatever the model and device, and only the ids come back to the host, once per chunk.
/// </summary>
public static class BatchSampler
{
    /// <summary>One response of <paramref name="newTokens"/> ids per prompt (no stop token: every response is full length).</summary>
    public static int[][] Sample(CausalLanguageModel model, IReadOnlyList<int[]> prompts, int newTokens, Random random,
        DrawSettings settings, Device? device = null, int batchSize = 512, bool useKvCache = true,
        CancellationToken cancellationToken = default)
    {
        settings.Validate();
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batch size must be ≥ 1.");
        device ??= model.parameters().First().device;
        var responses = new int[prompts.Count][];
        using var evalMode = model.InEvalMode();
        using var noGrad = no_grad();
        foreach (var group in Enumerable.Range(0, prompts.Count).GroupBy(i => prompts[i].Length))
        {
            var members = group.ToArray();
            for (int start = 0; start < members.Length; start += batchSize)
            {
                var chunk = members.Skip(start).Take(batchSize).ToArray();
                var sampled = SampleChunk(model, chunk.Select(i => prompts[i]).ToArray(), newTokens, random, settings, device,
                    useKvCache, cancellationToken);
                for (int j = 0; j < chunk.Length; j++) responses[chunk[j]] = sampled[j];
            }
        }
        return responses;
    }

    private static int[][] SampleChunk(CausalLanguageModel model, int[][] prompts, int newTokens, Random random, DrawSettings settings,
        Device device, bool useKvCache, CancellationToken cancellationToken)
    {
        int n = prompts.Length, p = prompts[0].Length;
        if (p == 0) throw new ArgumentException("Sampling needs at least one prompt token (BOS).", nameof(prompts));
        if (newTokens == 0) return prompts.Select(_ => Array.Empty<int>()).ToArray();
        using var outer = NewDisposeScope();
        var flat = new long[n * p];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < p; j++) flat[i * p + j] = prompts[i][j];
        using var decoder = new IncrementalDecoder(model, tensor(flat, [n, p], device: device), useKvCache, capacity: p + newTokens);
        var drawn = new Tensor[newTokens]; // each [N] int64, on the device
        var uniforms = new double[n];
        for (int t = 0; t < newTokens; t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var step = NewDisposeScope();
            for (int i = 0; i < n; i++) uniforms[i] = random.NextDouble();
            var next = TokenDraw.Pick(decoder.NextLogits(), tensor(uniforms, device: device), settings);
            decoder.Append(next);
            drawn[t] = next.MoveToOuterDisposeScope();
        }
        // [N, T] ids to the host once
        var ids = stack(drawn, 1).cpu().data<long>().ToArray();
        return Enumerable.Range(0, n).Select(i => ids.AsSpan(i * newTokens, newTokens).ToArray().Select(id => (int)id).ToArray()).ToArray();
    }
}
