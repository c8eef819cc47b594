using TorchSharp.Modules;

namespace RiskAlign.Framework.Models;

/// <summary>
/// How the models' forwards compute in the current (async) flow: the precision of matmuls and attention, and
/// whether attention may use the fused kernel. TorchSharp has no autocast, so the architectures call
/// <see cref="Mixed"/>, <see cref="MatMul"/> and <see cref="Attend"/> at the linear and attention boundaries and
/// these cast there, differentiably: inputs and weights to bfloat16 for the product, the product back to float32.
/// Everything between (norms, residuals, activations, log-softmax, and so every plugin's maths) stays float32, and
/// the float32 parameters stay the master weights the optimizer updates.
/// Set once per trial with <see cref="Use"/>; the default is float32 and written-out attention.
/// </summary>
public static class ForwardMath
{
    private sealed record Mode(bool Bf16, bool FusedAttention);

    private static readonly AsyncLocal<Mode?> Current = new();

    /// <summary>Matmuls and attention in bfloat16 (float32 in and out).</summary>
    public static bool Bf16 => Current.Value?.Bf16 ?? false;

    /// <summary>Attention through <c>scaled_dot_product_attention</c> (no double backward through it).</summary>
    public static bool FusedAttention => Current.Value?.FusedAttention ?? false;

    /// <summary>Sets the mode until the returned scope is disposed (then the previous one holds again).</summary>
    /// <param name="bf16">Matmuls and attention in bfloat16.</param>
    /// <param name="fusedAttention">Fused attention; only where nothing differentiates through the gradient
    /// (a gradient penalty such as WDPO's needs the written-out attention).</param>
    public static IDisposable Use(bool bf16, bool fusedAttention)
    {
        var previous = Current.Value;
        Current.Value = new Mode(bf16, fusedAttention);
        return new Restore(previous);
    }

    /// <summary><paramref name="layer"/>(<paramref name="x"/>) in the current precision; float32 out. An adapter active on this flow for the layer (<see cref="LinearAdapters"/>, LoRA) adds its update, in float32.</summary>
    public static Tensor Mixed(this Linear layer, Tensor x)
    {
        var output = Product(layer, x);
        if (LinearAdapters.Delta(layer, x) is not { } delta) return output;
        using (output)
        using (delta)
            return output + delta;
    }

    private static Tensor Product(Linear layer, Tensor x)
    {
        if (!Bf16) return layer.forward(x);
        using var scope = NewDisposeScope();
        using var input = x.to_type(ScalarType.BFloat16);
        using var weight = layer.weight!.to_type(ScalarType.BFloat16);
        using var bias = layer.bias?.to_type(ScalarType.BFloat16);
        using var product = nn.functional.linear(input, weight, bias);
        return product.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary><paramref name="a"/>·<paramref name="b"/> in the current precision; float32 out (tied output heads).</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        if (!Bf16) return a.matmul(b);
        using var scope = NewDisposeScope();
        return a.to_type(ScalarType.BFloat16).matmul(b.to_type(ScalarType.BFloat16)).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Attention output <c>[N, heads, T, hd]</c> of queries <c>[N, heads, T, hd]</c> over keys and values
    /// <c>[N, heads, Tk, hd]</c>; <paramref name="allowed"/> <c>[T, Tk]</c> (bool) says which keys each query sees.
    /// Fused (<c>scaled_dot_product_attention</c>) or written out (<see cref="AttentionMath.Weights"/>) as
    /// <see cref="FusedAttention"/> says; both compute softmax(q·kᵀ/√d)·v.
    /// </summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor allowed)
    {
        using var scope = NewDisposeScope();
        if (Bf16) { q = q.to_type(ScalarType.BFloat16); k = k.to_type(ScalarType.BFloat16); v = v.to_type(ScalarType.BFloat16); }
        Tensor output;
        if (FusedAttention)
        {
            // A square causal mask is the kernel's own is_causal (the fast path); a KV-cache step passes its mask.
            bool causal = q.shape[^2] == k.shape[^2];
            output = causal
                ? nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true)
                : nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: allowed);
        }
        else
        {
            output = AttentionMath.Weights(q, k, allowed).matmul(v);
        }
        if (Bf16) output = output.to_type(ScalarType.Float32);
        return output.MoveToOuterDisposeScope();
    }

    private sealed class Restore(Mode? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
