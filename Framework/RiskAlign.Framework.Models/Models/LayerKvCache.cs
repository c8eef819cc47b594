namespace RiskAlign.Framework.Models;

/// <summary>The key/value cache every decoder here uses: per layer, the keys and values of all positions seen so far.
/// It belongs to the model that created it, which refuses anyone else's.</summary>
public sealed class LayerKvCache(object owner, int layers) : IKvCache
{
    /// <summary>The model that created it.</summary>
    public object Owner { get; } = owner;

    // Per layer, buffers [N, heads, capacity, head_dim] whose first Length positions are filled.
    private readonly Tensor?[] _keys = new Tensor?[layers];
    private readonly Tensor?[] _values = new Tensor?[layers];

    /// <inheritdoc />
    public int Length { get; set; }

    /// <summary>Positions to allocate room for at the first append (a sampler knows prompt + new tokens); 0 = as many as
    /// the first forward brings. When full, the buffers double, so appending stays amortised O(1) a position.</summary>
    public int Capacity { get; set; }

    /// <summary>Writes a layer's keys and values of the new positions <c>[N, heads, T_new, head_dim]</c> after the
    /// <see cref="Length"/> cached ones, in place (no copy of what is cached), and returns views of all of them
    /// <c>[N, heads, Length + T_new, head_dim]</c> (in the caller's dispose scope; the buffers stay in the cache).</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        int start = Length, end = start + (int)k.shape[2];
        _keys[layer] = Reserve(_keys[layer], k, start, end);
        _values[layer] = Reserve(_values[layer], v, start, end);
        using (no_grad())
        {
            using var keySlot = _keys[layer]!.narrow(2, start, end - start);
            using var valueSlot = _values[layer]!.narrow(2, start, end - start);
            keySlot.copy_(k);
            valueSlot.copy_(v);
        }
        return (_keys[layer]!.narrow(2, 0, end), _values[layer]!.narrow(2, 0, end));
    }

    // A buffer with room for `end` positions: the current one, or a new one (capacity, or double) holding its first `start`.
    private Tensor Reserve(Tensor? buffer, Tensor like, int start, int end)
    {
        if (buffer is not null && buffer.shape[2] >= end) return buffer;
        long size = Math.Max(Math.Max(Capacity, end), buffer is null ? 0 : 2 * buffer.shape[2]);
        var grown = empty([like.shape[0], like.shape[1], size, like.shape[3]], dtype: like.dtype, device: like.device).DetachFromDisposeScope();
        if (buffer is not null)
        {
            using (no_grad())
            using (var old = buffer.narrow(2, 0, start))
            using (var slot = grown.narrow(2, 0, start))
                slot.copy_(old);
            buffer.Dispose();
        }
        return grown;
    }

    /// <summary>This cache, when <paramref name="owner"/> created it; otherwise a clear error.</summary>
    public static LayerKvCache Of(IKvCache cache, object owner, string modelName) =>
        cache as LayerKvCache is { } own && ReferenceEquals(own.Owner, owner)
            ? own
            : throw new ArgumentException($"The cache was not created by this {modelName} model.", nameof(cache));

    public void Dispose()
    {
        for (int i = 0; i < _keys.Length; i++) { _keys[i]?.Dispose(); _values[i]?.Dispose(); _keys[i] = _values[i] = null; }
    }
}
