namespace RiskAlign.Framework.Models.Llama;

/// <summary>How rotary position embedding pairs the dimensions of a head.</summary>
public enum RopeStyle
{
    /// <summary>Adjacent dimensions (2j, 2j+1) rotate together, as llama2.c's run.c and Meta's original code do.</summary>
    Interleaved,
    /// <summary>Dimension j rotates with j + d/2 ("rotate_half"), as Hugging Face transformers does.</summary>
    HalfSplit,
}

/// <summary>Shape of a Llama model (also Qwen2 and Mistral: <see cref="QkvBias"/> adds biases to the q/k/v
/// projections, <see cref="OutputBias"/> to the output projection (Llama's attention_bias sets both),
/// <see cref="SlidingWindow"/> lets a query see only the keys fewer than that many positions back).</summary>
public sealed record LlamaConfig(
    int Dim,
    int HiddenDim,
    int Layers,
    int Heads,
    int KvHeads,
    int VocabularySize,
    int MaxSequenceLength,
    bool TiedEmbeddings = true,
    double NormEps = 1e-5,
    double RopeTheta = 10000.0,
    RopeStyle RopeStyle = RopeStyle.Interleaved,
    RopeScaling? RopeScaling = null,
    bool QkvBias = false,
    bool OutputBias = false,
    int? SlidingWindow = null) : IDecoderShape
{
    /// <summary>Dimensions per attention head.</summary>
    public int HeadDim => Dim / Heads;

    /// <summary>Number of trainable parameters this shape implies.</summary>
    public long ParameterCount
    {
        get
        {
            long kvDim = (long)KvHeads * HeadDim;
            long perLayer = 2L * Dim + 2L * Dim * Dim + 2L * kvDim * Dim + 3L * HiddenDim * Dim
                + (QkvBias ? Dim + 2L * kvDim : 0) + (OutputBias ? Dim : 0);
            return (long)VocabularySize * Dim * (TiedEmbeddings ? 1 : 2) + Layers * perLayer + Dim;
        }
    }

    /// <summary>Throws a clear error when the shape is inconsistent.</summary>
    public void Validate()
    {
        if (Dim <= 0 || HiddenDim <= 0 || Layers <= 0 || Heads <= 0 || KvHeads <= 0 || VocabularySize <= 0 || MaxSequenceLength <= 0)
            throw new ArgumentException($"Llama config has a non-positive size: {this}.");
        if (Dim % Heads != 0) throw new ArgumentException($"Llama config: dim {Dim} is not divisible by heads {Heads}.");
        if (Heads % KvHeads != 0) throw new ArgumentException($"Llama config: heads {Heads} is not a multiple of kv heads {KvHeads}.");
        if (SlidingWindow is <= 0) throw new ArgumentException($"Llama config: sliding window {SlidingWindow} must be positive.");
        if (HeadDim % 2 != 0) throw new ArgumentException($"Llama config: head dim {HeadDim} must be even for rotary embeddings.");
    }
}
