namespace RiskAlign.Framework.Models;

/// <summary>Keys and values of the positions a model has already seen, so generation feeds one new token a step.</summary>
public interface IKvCache : IDisposable
{
    /// <summary>Number of positions held.</summary>
    int Length { get; }
}

/// <summary>A causal LM that can run incrementally with a key/value cache.</summary>
public interface IKvCacheModel
{
    /// <summary>An empty cache for this model.</summary>
    IKvCache CreateCache();

    /// <summary>Logits <c>[N, T_new, V]</c> for <paramref name="inputIds"/> <c>[N, T_new]</c> placed after the cached positions
    /// (<c>[N, 1, V]</c> of the last one only, when <paramref name="lastPositionOnly"/>: a sampler's prefill); appends
    /// their keys and values to <paramref name="cache"/>. Equal to the matching rows of a full forward.</summary>
    Tensor ForwardCached(Tensor inputIds, IKvCache cache, bool lastPositionOnly = false);
}
