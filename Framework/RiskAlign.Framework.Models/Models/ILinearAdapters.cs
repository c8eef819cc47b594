using TorchSharp.Modules;

namespace RiskAlign.Framework.Models;

/// <summary>Updates added to some linear layers' outputs while a model forwards (LoRA adapters), keyed by the layer.</summary>
public interface ILinearAdapters
{
    /// <summary>The update of <paramref name="layer"/>'s output for input <paramref name="x"/> (float32), or null when
    /// the layer has no adapter.</summary>
    Tensor? Delta(Linear layer, Tensor x);
}
