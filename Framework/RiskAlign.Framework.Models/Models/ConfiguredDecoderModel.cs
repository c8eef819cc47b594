using TorchSharp.Modules;

namespace RiskAlign.Framework.Models;

/// <summary>A cached decoder built from a config record: the members every architecture answers the same way, from
/// its config and its token embedding.</summary>
public abstract class ConfiguredDecoderModel<TConfig>(string name, TConfig config) : CachedDecoderModel(name)
    where TConfig : IDecoderShape
{
    /// <summary>The shape this model was built with.</summary>
    public TConfig Config { get; } = config;

    /// <inheritdoc />
    public override int VocabularySize => Config.VocabularySize;

    /// <inheritdoc />
    public override int MaxSequenceLength => Config.MaxSequenceLength;

    /// <inheritdoc />
    protected override int LayerCount => Config.Layers;

    /// <summary>The token embedding table.</summary>
    protected abstract Embedding TokenEmbedding { get; }

    /// <summary>The device the weights live on.</summary>
    public Device Device => TokenEmbedding.weight!.device;

    /// <inheritdoc />
    public override Tensor Embed(Tensor inputIds) => TokenEmbedding.forward(inputIds);
}
