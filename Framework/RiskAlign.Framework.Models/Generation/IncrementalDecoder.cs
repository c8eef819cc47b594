using RiskAlign.Framework.Models;

namespace RiskAlign.Framework.Generation;

/// <summary>
/// Next-token logits of N sequences that grow together, one token a step. With a KV cache the prompt is fed once and
/// then only the newest token; without one (a model that has none, or a check of the cache) the whole sequence runs
/// again each step. All sequences have the same length, so every row's positions are the same and no mask is needed.
/// </summary>
internal sealed class IncrementalDecoder : IDisposable
{
    private readonly CausalLanguageModel _model;
    private readonly IKvCacheModel? _cacheModel;
    private readonly IKvCache? _cache;
    private Tensor _pending;      // [N, T_new]: what the next forward still has to read
    private Tensor? _everything;  // [N, T] without a cache: the whole sequence so far

    /// <param name="prompts">Prompt ids <c>[N, P]</c> (int64, on the model's device); the decoder keeps its own copy.</param>
    /// <param name="capacity">Positions the sequences will reach (prompt and new tokens), to size the KV cache once; 0 = grow.</param>
    public IncrementalDecoder(CausalLanguageModel model, Tensor prompts, bool useKvCache, int capacity = 0)
    {
        _model = model;
        _cacheModel = useKvCache ? model as IKvCacheModel : null;
        _cache = _cacheModel?.CreateCache();
        if (_cache is LayerKvCache layers) layers.Capacity = capacity; // preallocated: no copy of the cache per token
        _pending = prompts.clone().DetachFromDisposeScope();
        Length = (int)prompts.shape[1];
        if (_cacheModel is null) _everything = _pending;
    }

    /// <summary>Positions so far (prompt and appended tokens).</summary>
    public int Length { get; private set; }

    /// <summary>Float32 logits <c>[N, V]</c> for the position after the last one (in the caller's dispose scope).</summary>
    public Tensor NextLogits()
    {
        if (Length > _model.MaxSequenceLength)
            throw new ArgumentException($"Sequence of {Length} positions is longer than the model's {_model.MaxSequenceLength}.");
        // With the cache only the last position's logits are computed (the prefill's [N, P, V] would be mostly unused).
        var logits = _cacheModel is not null ? _cacheModel.ForwardCached(_pending, _cache!, lastPositionOnly: true) : _model.Forward(_everything!);
        return logits.select(1, logits.shape[1] - 1).to_type(ScalarType.Float32);
    }

    /// <summary>Appends ids <c>[N]</c> (int64, same device) to every sequence.</summary>
    public void Append(Tensor next)
    {
        var column = next.unsqueeze(1);
        if (_cacheModel is not null)
        {
            _pending.Dispose();
            _pending = column.clone().DetachFromDisposeScope();
        }
        else
        {
            var grown = cat(new[] { _everything!, column }, 1).DetachFromDisposeScope();
            _everything!.Dispose();
            _everything = _pending = grown;
        }
        Length++;
    }

    public void Dispose()
    {
        _pending.Dispose();
        _cache?.Dispose();
    }
}
