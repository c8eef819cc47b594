namespace RiskAlign.Framework.Models.Tiny;

/// <summary>Shape of a <see cref="TinyCausalTransformer"/>.</summary>
public sealed record TinyTransformerConfig : IDecoderShape
{
    /// <summary>V, the vocabulary size.</summary>
    public int VocabularySize { get; init; } = 16;
    /// <summary>Longest sequence (learned positions).</summary>
    public int MaxSequenceLength { get; init; } = 32;
    /// <summary>H, the width of the residual stream.</summary>
    public int ModelDim { get; init; } = 32;
    /// <summary>Number of transformer blocks.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Attention heads; must divide <see cref="ModelDim"/>.</summary>
    public int Heads { get; init; } = 2;
    /// <summary>Hidden width of the MLP as a multiple of <see cref="ModelDim"/>.</summary>
    public int MlpRatio { get; init; } = 4;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (VocabularySize < 2) throw new ArgumentException($"TinyTransformerConfig.VocabularySize must be >= 2; got {VocabularySize}.");
        if (MaxSequenceLength < 1) throw new ArgumentException($"TinyTransformerConfig.MaxSequenceLength must be >= 1; got {MaxSequenceLength}.");
        if (ModelDim < 1) throw new ArgumentException($"TinyTransformerConfig.ModelDim must be >= 1; got {ModelDim}.");
        if (Layers < 1) throw new ArgumentException($"TinyTransformerConfig.Layers must be >= 1; got {Layers}.");
        if (Heads < 1 || ModelDim % Heads != 0)
            throw new ArgumentException($"TinyTransformerConfig.Heads must be >= 1 and divide ModelDim ({ModelDim}); got {Heads}.");
        if (MlpRatio < 1) throw new ArgumentException($"TinyTransformerConfig.MlpRatio must be >= 1; got {MlpRatio}.");
    }
}
