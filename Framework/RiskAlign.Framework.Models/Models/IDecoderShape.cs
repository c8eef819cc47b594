namespace RiskAlign.Framework.Models;

/// <summary>The sizes every decoder config has, whatever else its architecture adds.</summary>
public interface IDecoderShape
{
    /// <summary>Tokens in the vocabulary.</summary>
    int VocabularySize { get; }

    /// <summary>Positions the model can attend over.</summary>
    int MaxSequenceLength { get; }

    /// <summary>Transformer layers.</summary>
    int Layers { get; }
}
