using TorchSharp;

namespace RiskAlign.Abstractions;

/// <summary>
/// TorchSharp <see cref="Scalar"/>s that live for the process. An implicit <c>double → Scalar</c> conversion creates a
/// temporary that nothing references once its handle is read, so a GC during the native call can finalize it while
/// libtorch still reads it (dotnet/TorchSharp#1434). Runs hit that as libtorch's "Expected false to be true" in
/// <c>masked_fill</c>. Hot paths (every attention layer, every sampled token) therefore pass held Scalars, or keep a
/// local one alive with <c>using</c> until the call has returned.
/// </summary>
public static class HeldScalars
{
    /// <summary>−∞ (masks before a softmax).</summary>
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity.ToScalar();
}
