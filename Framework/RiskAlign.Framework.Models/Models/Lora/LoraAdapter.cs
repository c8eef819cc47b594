using TorchSharp.Modules;

namespace RiskAlign.Framework.Models.Lora;

/// <summary>
/// The low-rank update of one linear layer, as PEFT's <c>LoraLayer</c>: Δy = (α/r)·B·A·dropout(x), with
/// A <c>[r, in]</c> Kaiming-uniform (PEFT's <c>kaiming_uniform_(a=√5)</c>, bound 1/√in) and B <c>[out, r]</c> zero,
/// so a fresh adapter leaves the layer's output unchanged.
/// </summary>
public sealed class LoraAdapter : nn.Module
{
    private readonly Parameter lora_A; // [r, in]
    private readonly Parameter lora_B; // [out, r]
    private readonly double _dropout;
    private readonly Scalar _scale; // held: see HeldScalars

    /// <summary>An adapter for a linear layer <paramref name="inFeatures"/> → <paramref name="outFeatures"/>.</summary>
    /// <param name="name">Module name.</param>
    /// <param name="inFeatures">The layer's input width.</param>
    /// <param name="outFeatures">The layer's output width.</param>
    /// <param name="rank">r.</param>
    /// <param name="alpha">α; the update is scaled by α/r.</param>
    /// <param name="dropout">Dropout on the adapter's input while training.</param>
    /// <param name="random">Draws A's initial values.</param>
    /// <param name="device">Where the layer's weights live.</param>
    public LoraAdapter(string name, long inFeatures, long outFeatures, int rank, double alpha, double dropout, Random random, Device device)
        : base(name)
    {
        double bound = 1.0 / Math.Sqrt(inFeatures);
        var initial = new float[rank * inFeatures];
        for (int i = 0; i < initial.Length; i++) initial[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        lora_A = new Parameter(tensor(initial, new long[] { rank, inFeatures }, device: device));
        lora_B = new Parameter(zeros(outFeatures, rank, device: device));
        _dropout = dropout;
        Scale = alpha / rank;
        _scale = Scale.ToScalar();
        register_parameter(nameof(lora_A), lora_A);
        register_parameter(nameof(lora_B), lora_B);
        lora_A.DetachFromDisposeScope();
        lora_B.DetachFromDisposeScope();
    }

    /// <summary>α/r.</summary>
    public double Scale { get; }

    /// <summary>A <c>[r, in]</c>.</summary>
    public Parameter A => lora_A;

    /// <summary>B <c>[out, r]</c>.</summary>
    public Parameter B => lora_B;

    /// <summary>The update of the layer's output <c>[..., in] → [..., out]</c>: (α/r)·B·A·dropout(x), float32.</summary>
    public Tensor Delta(Tensor x)
    {
        using var scope = NewDisposeScope();
        var input = _dropout > 0 ? nn.functional.dropout(x, _dropout, training) : x;
        return (nn.functional.linear(nn.functional.linear(input, lora_A), lora_B) * _scale).MoveToOuterDisposeScope();
    }

    /// <summary>The same update as a weight <c>[out, in]</c>: (α/r)·B·A, what merging adds to the layer's weight.</summary>
    public Tensor DeltaWeight() => lora_B.detach().matmul(lora_A.detach()) * _scale;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _scale.Dispose();
        base.Dispose(disposing);
    }
}
