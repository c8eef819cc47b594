using TorchSharp;
using static TorchSharp.torch;

namespace RiskAlign.Framework.Models;

/// <summary>
/// A decoder-only language model as the trainer needs it: token embedding split from the rest of the forward
/// pass, so gradient penalties (WDPO) can differentiate with respect to the input embeddings, and a deep copy,
/// so the policy can start from the frozen reference.
/// </summary>
public abstract class CausalLanguageModel : nn.Module
{
    protected CausalLanguageModel(string name) : base(name) { }

    /// <summary>V.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>Longest sequence the model accepts (positions).</summary>
    public abstract int MaxSequenceLength { get; }

    /// <summary>Token embeddings <c>[N, T] → [N, T, H]</c>.</summary>
    public abstract Tensor Embed(Tensor inputIds);

    /// <summary>Logits from input embeddings <c>[N, T, H] → [N, T, V]</c>, causal: position t sees positions ≤ t.
    /// Must support double backward (no fused attention kernels).</summary>
    public abstract Tensor ForwardEmbeddings(Tensor embeddings);

    /// <summary>Logits <c>[N, T] → [N, T, V]</c>.</summary>
    public Tensor Forward(Tensor inputIds) => ForwardEmbeddings(Embed(inputIds));

    /// <summary>An independent copy with the same weights (on the same device).</summary>
    public abstract CausalLanguageModel DeepCopy();
}
