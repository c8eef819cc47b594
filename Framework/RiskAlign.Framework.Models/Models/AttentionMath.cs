namespace RiskAlign.Framework.Models;

/// <summary>
/// Attention weights written out (no fused kernel, so double backward works): softmax(q·kᵀ/√d) with the positions
/// a query may not see set to −∞.
/// Every <see cref="Scalar"/> here outlives its native call (see <see cref="HeldScalars"/>).
/// </summary>
internal static class AttentionMath
{
    /// <summary>Attention weights <c>[..., T, Tk]</c> of queries <c>[..., T, d]</c> over keys <c>[..., Tk, d]</c>;
    /// <paramref name="allowed"/> <c>[T, Tk]</c> (bool) says which keys each query sees.</summary>
    public static Tensor Weights(Tensor q, Tensor k, Tensor allowed)
    {
        using var scale = (1.0 / Math.Sqrt(q.shape[^1])).ToScalar();
        using var scores = q.matmul(k.transpose(-2, -1));
        using var scaled = scores.mul(scale);
        using var hidden = allowed.logical_not();
        using var masked = scaled.masked_fill(hidden, HeldScalars.NegativeInfinity);
        return masked.softmax(-1);
    }
}
