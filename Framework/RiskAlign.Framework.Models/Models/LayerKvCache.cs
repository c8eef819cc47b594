namespace RiskAlign.Framework.Models;

/// <summary>The key/value cache every decoder here uses: per layer, the keys and values of all positions seen so far.
/// It belongs to the model that created it, which refuses anyone else's.</summary>
public sealed class LayerKvCache(object owner, int layers) : IKvCache
{
    /// <summary>The model that created it.</summary>
    public object Owner { get; } = owner;

    public Tensor?[] Keys { get; } = new Tensor?[layers];
    public Tensor?[] Values { get; } = new Tensor?[layers];

    /// <inheritdoc />
    public int Length { get; set; }

    /// <summary>Replaces a layer's keys and values.</summary>
    public void Store(int layer, Tensor k, Tensor v)
    {
        // The cache outlives the forward's dispose scope: detach copies from it and free the previous ones.
        var newK = k.detach().DetachFromDisposeScope();
        var newV = v.detach().DetachFromDisposeScope();
        Keys[layer]?.Dispose();
        Values[layer]?.Dispose();
        Keys[layer] = newK;
        Values[layer] = newV;
    }

    /// <summary>This cache, when <paramref name="owner"/> created it; otherwise a clear error.</summary>
    public static LayerKvCache Of(IKvCache cache, object owner, string modelName) =>
        cache as LayerKvCache is { } own && ReferenceEquals(own.Owner, owner)
            ? own
            : throw new ArgumentException($"The cache was not created by this {modelName} model.", nameof(cache));

    public void Dispose()
    {
        for (int i = 0; i < Keys.Length; i++) { Keys[i]?.Dispose(); Values[i]?.Dispose(); Keys[i] = Values[i] = null; }
    }
}
