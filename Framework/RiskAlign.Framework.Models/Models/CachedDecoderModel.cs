namespace RiskAlign.Framework.Models;

/// <summary>
/// A decoder with a per-layer key/value cache (Llama, GPT-2, GPT-NeoX): the full forward pass and the incremental,
/// cached one are the same <see cref="Decode"/> from a start position, so the bookkeeping and the length check live here.
/// </summary>
public abstract class CachedDecoderModel(string name) : CausalLanguageModel(name), IKvCacheModel
{
    /// <summary>Transformer layers (one cache slot each).</summary>
    protected abstract int LayerCount { get; }

    /// <summary>Architecture name for messages (for example <c>Llama</c>).</summary>
    protected abstract string ArchitectureName { get; }

    /// <summary>Logits <c>[N, T, V]</c> of embeddings placed at positions <c>start..start+T-1</c> (<c>[N, 1, V]</c> of the
    /// last one only when <paramref name="lastOnly"/>), reading and extending <paramref name="cache"/> when given. Called
    /// only with sequences that fit the model.</summary>
    protected abstract Tensor Decode(Tensor embeddings, int start, LayerKvCache? cache, bool lastOnly);

    /// <inheritdoc />
    public override Tensor ForwardEmbeddings(Tensor embeddings) => DecodeChecked(embeddings, 0, null, lastOnly: false);

    /// <inheritdoc />
    public IKvCache CreateCache() => new LayerKvCache(this, LayerCount);

    /// <inheritdoc />
    public Tensor ForwardCached(Tensor inputIds, IKvCache cache, bool lastPositionOnly = false)
    {
        var own = LayerKvCache.Of(cache, this, ArchitectureName);
        int start = own.Length;
        var logits = DecodeChecked(Embed(inputIds), start, own, lastPositionOnly);
        own.Length = start + (int)inputIds.shape[1];
        return logits;
    }

    private Tensor DecodeChecked(Tensor embeddings, int start, LayerKvCache? cache, bool lastOnly)
    {
        long t = embeddings.shape[1];
        if (start + t > MaxSequenceLength)
            throw new ArgumentException($"Sequence of {start + t} positions is longer than the model's {MaxSequenceLength}.");
        return Decode(embeddings, start, cache, lastOnly);
    }
}
