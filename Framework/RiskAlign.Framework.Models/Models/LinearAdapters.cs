using TorchSharp.Modules;

namespace RiskAlign.Framework.Models;

/// <summary>
/// The adapters active on the current (async) flow, which <see cref="ForwardMath.Mixed"/> adds to the linear layers'
/// outputs. A LoRA policy activates its own around its forwards, so a frozen model shared by several trials (their
/// reference) computes with one trial's adapters on that trial's flow only, and with none anywhere else.
/// </summary>
public static class LinearAdapters
{
    private static readonly AsyncLocal<ILinearAdapters?> Current = new();

    /// <summary>Makes <paramref name="adapters"/> active until the returned scope is disposed.</summary>
    public static Scope Use(ILinearAdapters adapters)
    {
        var previous = Current.Value;
        Current.Value = adapters;
        return new Scope(previous);
    }

    /// <summary>The active update of <paramref name="layer"/>'s output, or null.</summary>
    internal static Tensor? Delta(Linear layer, Tensor x) => Current.Value?.Delta(layer, x);

    /// <summary>Restores the adapters that were active before <see cref="Use"/>.</summary>
    public readonly struct Scope(ILinearAdapters? previous) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => Current.Value = previous;
    }
}
