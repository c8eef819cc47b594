namespace RiskAlign.Framework.Generation;

/// <summary>
/// The one place where next-token logits and a uniform number become a token id, on the logits' device: the
/// inverse of the cumulative distribution in vocabulary order, <c>id = min{k : u &lt; Σ_{j≤k} p_j}</c>. The uniforms
/// come from the caller (a seeded CPU <see cref="Random"/>), so a seed fixes the noise whatever the model and device
/// (common random numbers). The probabilities are float32 (softmax of float32 logits), summed in float32 and searched
/// (<c>searchsorted</c>) rather than compared at every position: the earlier host-side sampler summed in float64, so the
/// ids can differ from its only where a uniform falls within float32 rounding of a boundary (about 1e-7 per draw).
/// </summary>
public static class TokenDraw
{
    /// <summary>Ids <c>[N]</c> (int64) from last-position logits <c>[N, V]</c> and uniforms <c>[N]</c> in [0, 1) (float64,
    /// same device). With temperature ≤ 0 the uniforms are ignored (greedy argmax).</summary>
    public static Tensor Pick(Tensor logits, Tensor uniforms, DrawSettings settings)
    {
        using var scope = NewDisposeScope();
        long v = logits.shape[^1];
        // a float32 copy we may mask in place: [N, V]
        var x = logits.to_type(ScalarType.Float32, copy: true);
        if (settings.AllowedFrom > 0) x.narrow(1, 0, Math.Min(settings.AllowedFrom, v)).fill_(HeldScalars.NegativeInfinity);
        if (settings.Blocked.Count > 0)
        {
            using var blocked = tensor(settings.Blocked.Select(id => (long)id).ToArray(), device: x.device);
            x.index_fill_(1, blocked, HeldScalars.NegativeInfinity);
        }
        if (settings.Temperature <= 0) return x.argmax(-1).MoveToOuterDisposeScope();
        if (settings.Temperature != 1.0)
        {
            using var temperature = settings.Temperature.ToScalar();
            x = x.div(temperature);
        }
        if (settings.TopK > 0 && settings.TopK < v)
        {
            var kth = x.topk(settings.TopK, dim: -1).values.narrow(1, settings.TopK - 1, 1); // [N, 1]
            x = x.masked_fill(x.lt(kth), HeldScalars.NegativeInfinity);
        }
        if (settings.TopP < 1.0)
        {
            var (sorted, order) = x.sort(dim: -1, descending: true);
            var sortedProbabilities = sorted.softmax(-1);
            // drop a token when the tokens before it already reach p (the most likely token is always kept)
            using var topP = settings.TopP.ToScalar();
            var drop = sortedProbabilities.cumsum(-1).sub(sortedProbabilities).ge(topP);
            x = x.masked_fill(zeros_like(drop).scatter(-1, order, drop), HeldScalars.NegativeInfinity);
        }
        // Inverse CDF by binary search: id = min{k : u·S < c_k} with c the float32 running sum of the probabilities and
        // S = c_{V−1} its own total (so rounding in the sum never leaves u beyond it). A token with zero probability
        // never satisfies it first, since c does not rise there.
        var cumulative = x.softmax(-1).cumsum(-1);                                   // [N, V] float32
        var total = cumulative.narrow(1, v - 1, 1).contiguous();                     // [N, 1]
        var target = uniforms.to_type(ScalarType.Float32).unsqueeze(1).mul(total);   // [N, 1]
        var id = searchsorted(cumulative, target, right: true);                      // [N, 1]
        // u·S rounded up to S (u within float32 rounding of 1): the first position where the sum reaches S, the last
        // token with positive probability.
        var last = searchsorted(cumulative, total, right: false);                    // [N, 1]
        return id.minimum(last).squeeze(1).MoveToOuterDisposeScope();
    }
}
