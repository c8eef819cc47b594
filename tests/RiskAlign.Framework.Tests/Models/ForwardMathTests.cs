namespace RiskAlign.Framework.Tests.Models;

/// <summary>
/// Fused attention against the written-out one, and bf16 mixed precision against fp32, on a tiny transformer.
/// Expected values: the fp32 written-out forward of the same model (the reference both must reproduce); the
/// tolerances are float32 round-off for the attention kernels and bfloat16's 8-bit mantissa (≈0.4 % a product)
/// for mixed precision.
/// </summary>
public sealed class ForwardMathTests
{
    private static readonly TinyTransformerConfig Config = new() { VocabularySize = 13, MaxSequenceLength = 12, ModelDim = 32, Layers = 2, Heads = 4 };

    private static Tensor Ids() => tensor(new long[] { 1, 5, 7, 2, 9, 3, 11, 4, 0, 6, 8, 12, 10, 2, 3 }.Concat(new long[] { 4, 6, 1, 9, 12, 0, 5, 7, 3, 2, 8, 11, 1, 4, 6 }).Take(24).ToArray(), [2, 12]);

    /// <summary>Mean log-prob of the next token: the quantity the trainer differentiates (float32 log-softmax).</summary>
    private static (Tensor Logits, Tensor[] Gradients) LogitsAndGradients(TinyCausalTransformer model, bool bf16, bool fused)
    {
        using var mode = ForwardMath.Use(bf16, fused);
        foreach (var p in model.parameters()) p.grad = null;
        using var ids = Ids();
        var logits = model.Forward(ids); // [2, 12, V]
        Assert.Equal(ScalarType.Float32, logits.dtype);
        using var logProbs = logits.narrow(1, 0, 11).log_softmax(-1);
        using var next = ids.narrow(1, 1, 11).unsqueeze(-1);
        using var loss = logProbs.gather(-1, next).mean().neg();
        loss.backward();
        return (logits.detach(), model.parameters().Select(p => p.grad!.clone()).ToArray());
    }

    [Fact]
    public void Fused_and_written_out_attention_give_the_same_logits_and_gradients()
    {
        using var model = new TinyCausalTransformer(Config, seed: 7);
        var (writtenLogits, writtenGrads) = LogitsAndGradients(model, bf16: false, fused: false);
        var (fusedLogits, fusedGrads) = LogitsAndGradients(model, bf16: false, fused: true);
        Assert.True(fusedLogits.allclose(writtenLogits, rtol: 1e-5, atol: 1e-5));
        for (int i = 0; i < writtenGrads.Length; i++)
            Assert.True(fusedGrads[i].allclose(writtenGrads[i], rtol: 1e-4, atol: 1e-6), $"gradient {i} differs");
    }

    [Fact]
    public void Written_out_attention_supports_double_backward()
    {
        using var model = new TinyCausalTransformer(Config, seed: 7);
        using var mode = ForwardMath.Use(bf16: false, fusedAttention: false);
        using var ids = Ids();
        using var embeddings = model.Embed(ids).detach().requires_grad_(true);
        using var loss = model.ForwardEmbeddings(embeddings).log_softmax(-1).narrow(-1, 0, 1).mean();
        var gradient = torch.autograd.grad([loss], [embeddings], retain_graph: true, create_graph: true)[0];
        using var penalty = gradient.pow(2).sum();
        penalty.backward(); // WDPO's gradient penalty does this
        Assert.NotNull(model.parameters().First().grad);
    }

    [Fact]
    public void Bf16_forward_matches_fp32_loosely_and_keeps_float32_weights_and_gradients()
    {
        using var model = new TinyCausalTransformer(Config, seed: 11);
        var (fp32Logits, fp32Grads) = LogitsAndGradients(model, bf16: false, fused: false);
        var (bf16Logits, bf16Grads) = LogitsAndGradients(model, bf16: true, fused: true);
        Assert.True(bf16Logits.allclose(fp32Logits, rtol: 0.05, atol: 0.05), "bf16 logits far from fp32");
        Assert.False(bf16Logits.allclose(fp32Logits, rtol: 0, atol: 1e-7), "bf16 path computed in fp32");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        using var a = cat(fp32Grads.Select(g => g.flatten()).ToArray());
        using var b = cat(bf16Grads.Select(g => g.flatten()).ToArray());
        Assert.All(bf16Grads, g => Assert.Equal(ScalarType.Float32, g.dtype));
        double cosine = nn.functional.cosine_similarity(a, b, dim: 0).item<float>();
        Assert.True(cosine > 0.99, $"bf16 gradient direction differs from fp32 (cosine {cosine})");
    }

    [Fact]
    public void Bf16_training_of_a_tiny_model_follows_fp32_loosely()
    {
        // Same model, data and AdamW steps in both precisions: the loss curves agree to within a few percent.
        double[] Train(bool bf16)
        {
            using var model = new TinyCausalTransformer(Config, seed: 3);
            var optimizer = optim.AdamW(model.parameters(), lr: 3e-3);
            var losses = new List<double>();
            for (int step = 0; step < 20; step++)
            {
                using var scope = NewDisposeScope();
                using var mode = ForwardMath.Use(bf16, fusedAttention: true);
                optimizer.zero_grad();
                var ids = Ids();
                var loss = model.Forward(ids).narrow(1, 0, 11).log_softmax(-1).gather(-1, ids.narrow(1, 1, 11).unsqueeze(-1)).mean().neg();
                loss.backward();
                optimizer.step();
                losses.Add(loss.item<float>());
            }
            Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
            return [.. losses];
        }
        var fp32 = Train(false);
        var bf16 = Train(true);
        Assert.True(fp32[^1] < fp32[0] - 0.3, "fp32 did not learn");
        for (int i = 0; i < fp32.Length; i++)
            Assert.True(Math.Abs(bf16[i] - fp32[i]) < 0.05 * fp32[0], $"step {i}: bf16 loss {bf16[i]} vs fp32 {fp32[i]}");
    }
}
