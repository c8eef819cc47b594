using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Training;

/// <summary>
/// A fixed set of pairs (the training or the evaluation pairs) as device tensors, built once: chosen and rejected
/// ids, labels and masks <c>[N, T_max]</c>, each row's length, and — when they fit the trial's
/// <see cref="ReferenceOutputBudget"/> — the frozen reference's logits <c>[N, T_max, V]</c>, computed once and shared by
/// every trial of the same task build (<see cref="ReferenceOutputSharing"/>), so the reference forward runs once per
/// build instead of once per step. Right padding and causal attention make a row's logits independent of the padding,
/// so a cached row can be cut to any batch's length.
/// </summary>
internal sealed class PairTensors : IDisposable
{
    private readonly PreferenceBatchTensors _chosen, _rejected; // each [N, T_max] (the builder's 2B rows split in halves)
    private readonly Tensor? _referenceChosen, _referenceRejected; // [N, T_max, V]
    private readonly int[] _lengths; // per pair: longest of its two sequences minus one
    private readonly CausalLanguageModel _reference;
    private readonly ReferenceOutputSharing _sharing;

    /// <param name="set">Which pair set of the build these are (<c>train</c>, <c>eval</c>): the key of the shared outputs.</param>
    public PairTensors(IReadOnlyList<PreferencePair> pairs, int padTokenId, CausalLanguageModel reference, Device device,
        ReferenceOutputSharing sharing, string set)
    {
        _sharing = sharing;
        Count = pairs.Count;
        _reference = reference;
        using var all = PreferenceBatchBuilder.Build(pairs, padTokenId, device);
        long t = all.InputIds.shape[1];
        _chosen = new PreferenceBatchTensors(all.InputIds.narrow(0, 0, Count).clone(), all.Labels.narrow(0, 0, Count).clone(), all.Mask.narrow(0, 0, Count).clone());
        _rejected = new PreferenceBatchTensors(all.InputIds.narrow(0, Count, Count).clone(), all.Labels.narrow(0, Count, Count).clone(), all.Mask.narrow(0, Count, Count).clone());
        _lengths = pairs.Select(p => p.Prompt.Length + Math.Max(p.Chosen.Length, p.Rejected.Length) - 1).ToArray();
        long bytes = 2L * Count * t * reference.VocabularySize * sizeof(float);
        var shared = sharing.TryShare(set, device, bytes, () => (ReferenceLogits(_chosen.InputIds), ReferenceLogits(_rejected.InputIds)));
        if (shared is var (chosen, rejected))
        {
            _referenceChosen = chosen;
            _referenceRejected = rejected;
        }
    }

    /// <summary>N, the number of pairs.</summary>
    public int Count { get; }

    /// <summary>The rows of <paramref name="indices"/> as a batch (chosen then rejected), cut to their longest
    /// sequence: ids, labels, mask <c>[2B, T]</c> and reference logits <c>[2B, T, V]</c>. Tensors belong to the
    /// caller's dispose scope.</summary>
    public (Tensor InputIds, Tensor Labels, Tensor Mask, Tensor ReferenceLogits) Select(int[] indices)
    {
        int t = indices.Max(i => _lengths[i]);
        var index = tensor(indices.Select(i => (long)i).ToArray(), device: _chosen.InputIds.device);
        Tensor Pick(Tensor chosen, Tensor rejected) => cat([chosen.index_select(0, index), rejected.index_select(0, index)], 0).narrow(1, 0, t);
        var ids = Pick(_chosen.InputIds, _rejected.InputIds);
        var labels = Pick(_chosen.Labels, _rejected.Labels);
        var mask = Pick(_chosen.Mask, _rejected.Mask);
        Tensor referenceLogits;
        if (_referenceChosen is not null)
            referenceLogits = Pick(_referenceChosen, _referenceRejected!);
        else
        {
            _sharing.CountForward();
            using (no_grad()) referenceLogits = _reference.Forward(ids).detach();
        }
        return (ids, labels, mask, referenceLogits);
    }

    private Tensor ReferenceLogits(Tensor ids)
    {
        using var _ = no_grad();
        const int chunk = 256;
        var parts = new List<Tensor>();
        for (long start = 0; start < ids.shape[0]; start += chunk)
        {
            using var rows = ids.narrow(0, start, Math.Min(chunk, ids.shape[0] - start));
            _sharing.CountForward();
            parts.Add(_reference.Forward(rows).to_type(ScalarType.Float32));
        }
        var result = cat(parts, 0).DetachFromDisposeScope(); // shared by trials: no trial's scope may dispose it
        foreach (var part in parts) part.Dispose();
        return result;
    }

    public void Dispose()
    {
        _chosen.Dispose();
        _rejected.Dispose();
        // the reference logits are shared by the build's trials and live as long as the build
    }
}
