using RiskAlign.Framework.Generation;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The tasks' ancestral sampling of fixed-length responses at temperature 1: <see cref="BatchSampler"/> (KV-cached,
/// batched, drawn on the device with one uniform per token from <paramref name="random"/>, so a seed gives the same
/// samples on any device and two policies see the same uniforms: common random numbers).
/// </summary>
internal static class ResponseSampler
{
    /// <summary>Samples one response per prompt.</summary>
    /// <param name="allowedFrom">Smallest token id that may be sampled (1 keeps BOS = 0 out of responses).</param>
    /// <param name="blocked">Further ids that are never sampled (for example a tokenizer's BOS and EOS, so a fixed-length
    /// response stays one piece of text); the model's distribution is renormalised over the rest.</param>
    public static int[][] Sample(CausalLanguageModel model, IReadOnlyList<int[]> prompts, int responseLength, Random random,
        Device device, int allowedFrom = 0, IReadOnlyCollection<int>? blocked = null, int batchSize = 512) =>
        BatchSampler.Sample(model, prompts, responseLength, random,
            DrawSettings.Plain with { AllowedFrom = allowedFrom, Blocked = blocked?.ToArray() ?? [] }, device, batchSize);
}
