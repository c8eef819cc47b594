using System.Text.Json;

namespace RiskAlign.Framework.Tests.RealModels;

/// <summary>
/// A small random GPT-NeoX (Pythia layout) checkpoint written by the test, loaded through <see cref="ModelLoader"/> and
/// compared with a forward written here from the HF tensors following modeling_gpt_neox.py (per-head [q|k|v] fused
/// projection, rotate_half RoPE on the first rotary_pct of each head, erf GELU, parallel or sequential residual).
/// No pretrained Pythia weights or PyTorch reference were available.
/// </summary>
public sealed class HuggingFaceGptNeoXTests : IDisposable
{
    private const int D = 24, Layers = 2, Heads = 2, Vocab = 40, Positions = 32, Inner = 48;
    private const double RotaryPct = 0.5; // 12-dim heads, 6 rotary dims
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-hf-neox-").FullName;
    private readonly Dictionary<string, Tensor> hf = new();

    public HuggingFaceGptNeoXTests()
    {
        var g = new Generator(99);
        Tensor R(params long[] shape) => randn(shape, generator: g) * 0.3;
        hf["gpt_neox.embed_in.weight"] = R(Vocab, D);
        for (int i = 0; i < Layers; i++)
        {
            string l = $"gpt_neox.layers.{i}.";
            hf[l + "input_layernorm.weight"] = 1 + R(D); hf[l + "input_layernorm.bias"] = R(D);
            hf[l + "post_attention_layernorm.weight"] = 1 + R(D); hf[l + "post_attention_layernorm.bias"] = R(D);
            hf[l + "attention.query_key_value.weight"] = R(3 * D, D); hf[l + "attention.query_key_value.bias"] = R(3 * D);
            hf[l + "attention.dense.weight"] = R(D, D); hf[l + "attention.dense.bias"] = R(D);
            hf[l + "mlp.dense_h_to_4h.weight"] = R(Inner, D); hf[l + "mlp.dense_h_to_4h.bias"] = R(Inner);
            hf[l + "mlp.dense_4h_to_h.weight"] = R(D, Inner); hf[l + "mlp.dense_4h_to_h.bias"] = R(D);
            hf[l + "attention.rotary_emb.inv_freq"] = R(3); // a buffer old checkpoints carry; must be ignored
        }
        hf["gpt_neox.final_layer_norm.weight"] = 1 + R(D); hf["gpt_neox.final_layer_norm.bias"] = R(D);
        hf["embed_out.weight"] = R(Vocab, D);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private void Write(bool parallel)
    {
        var config = new { model_type = "gpt_neox", hidden_size = D, num_hidden_layers = Layers, num_attention_heads = Heads,
            intermediate_size = Inner, vocab_size = Vocab, max_position_embeddings = Positions, rotary_pct = RotaryPct,
            rotary_emb_base = 10000, use_parallel_residual = parallel, layer_norm_eps = 1e-5, hidden_act = "gelu", tie_word_embeddings = false };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), hf);
    }

    private Tensor Reference(long[] ids, bool parallel, double rotaryPct = RotaryPct, double rotaryBase = 10000.0, double linearFactor = 1.0)
    {
        Tensor W(string name) => hf["gpt_neox." + name];
        Tensor Ln(Tensor x, string name) => nn.functional.layer_norm(x, [D], W(name + ".weight"), W(name + ".bias"), 1e-5);
        Tensor Lin(Tensor x, string name) => x.matmul(W(name + ".weight").t()) + W(name + ".bias");
        long t = ids.Length; int hd = D / Heads, r = (int)(hd * rotaryPct);
        // HF: inv_freq = 1 / base^(arange(0, r, 2) / r) (/ factor for linear scaling); emb = cat(freqs, freqs); q·cos + rotate_half(q)·sin
        var invFreq = 1.0 / pow(rotaryBase, arange(0, r, 2, dtype: ScalarType.Float32) / r) / linearFactor;
        var freqs = arange(t, dtype: ScalarType.Float32).unsqueeze(1) * invFreq.unsqueeze(0);
        var emb = cat([freqs, freqs], -1);
        Tensor RotateHalf(Tensor a) => cat([-a.narrow(-1, r / 2, r / 2), a.narrow(-1, 0, r / 2)], -1);
        Tensor Rope(Tensor a)
        {
            var rotated = a.narrow(-1, 0, r) * emb.cos() + RotateHalf(a.narrow(-1, 0, r)) * emb.sin();
            return r == hd ? rotated : cat([rotated, a.narrow(-1, r, hd - r)], -1);
        }
        var x = W("embed_in.weight").index_select(0, tensor(ids)); // [T, D]
        var future = ones(t, t).triu(1).to_type(ScalarType.Bool);
        for (int i = 0; i < Layers; i++)
        {
            string l = $"layers.{i}.";
            var qkv = Lin(Ln(x, l + "input_layernorm"), l + "attention.query_key_value").view(t, Heads, 3 * hd).transpose(0, 1); // [H, T, 3hd]
            var q = Rope(qkv.narrow(-1, 0, hd));
            var k = Rope(qkv.narrow(-1, hd, hd));
            var v = qkv.narrow(-1, 2 * hd, hd);
            var att = (q.matmul(k.transpose(1, 2)) / Math.Sqrt(hd)).masked_fill(future, double.NegativeInfinity).softmax(-1);
            var a = Lin(att.matmul(v).transpose(0, 1).reshape(t, D), l + "attention.dense");
            Tensor Mlp(Tensor y)
            {
                var hidden = Lin(y, l + "mlp.dense_h_to_4h");
                hidden = 0.5 * hidden * (1 + special.erf(hidden / Math.Sqrt(2)));
                return Lin(hidden, l + "mlp.dense_4h_to_h");
            }
            x = parallel ? x + a + Mlp(Ln(x, l + "post_attention_layernorm")) : x + a;
            if (!parallel) x = x + Mlp(Ln(x, l + "post_attention_layernorm"));
        }
        return Ln(x, "final_layer_norm").matmul(hf["embed_out.weight"].t());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Loaded_random_GPT_NeoX_matches_a_forward_written_from_the_HF_tensors(bool parallel)
    {
        Write(parallel);
        using var model = ModelLoader.Load(folder, CPU);
        var neox = Assert.IsType<GptNeoXModel>(model);
        Assert.Equal(6, neox.Config.RotaryDims);
        long[] ids = [3, 17, 39, 0, 8, 8, 21, 5, 30, 11];
        using var _ = no_grad();
        var logits = model.Forward(tensor(ids, [1, ids.Length]))[0];
        double maxDiff = (logits - Reference(ids, parallel)).abs().max().item<float>();
        Assert.True(maxDiff < 1e-4, $"max logit difference {maxDiff}");
    }

    /// <summary>transformers 5 writes rotary settings as rope_parameters; partial_rotary_factor 1.0 rotates whole heads.</summary>
    [Theory]
    [InlineData(1.0, 500.0, 1.0)]
    [InlineData(0.5, 10000.0, 4.0)]
    public void Transformers_5_rope_parameters_decide_the_rotary_dims_base_and_linear_scaling(double partial, double theta, double factor)
    {
        var parameters = factor == 1.0
            ? (object)new { rope_theta = theta, partial_rotary_factor = partial, rope_type = "default" }
            : new { rope_theta = theta, partial_rotary_factor = partial, rope_type = "linear", factor };
        var config = new { model_type = "gpt_neox", hidden_size = D, num_hidden_layers = Layers, num_attention_heads = Heads,
            intermediate_size = Inner, vocab_size = Vocab, max_position_embeddings = Positions, rope_parameters = parameters,
            use_parallel_residual = true, layer_norm_eps = 1e-5, hidden_act = "gelu", tie_word_embeddings = false };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), hf);
        using var model = ModelLoader.Load(folder, CPU);
        Assert.Equal((int)(D / Heads * partial), Assert.IsType<GptNeoXModel>(model).Config.RotaryDims);
        long[] ids = [3, 17, 39, 0, 8, 8, 21, 5, 30, 11];
        using var _ = no_grad();
        var logits = model.Forward(tensor(ids, [1, ids.Length]))[0];
        double maxDiff = (logits - Reference(ids, parallel: true, partial, theta, factor)).abs().max().item<float>();
        Assert.True(maxDiff < 1e-4, $"max logit difference {maxDiff}");
        // the plain setting (half the head, base 10000, unscaled) gives other logits: the new keys are not ignored
        Assert.False(logits.allclose(Reference(ids, parallel: true, RotaryPct, 10000.0), rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Cached_and_uncached_GPT_NeoX_generation_agree()
    {
        Write(parallel: true);
        using var model = ModelLoader.Load(folder);
        var options = new GenerationOptions { MaxNewTokens = 15 };
        var cached = TextGenerator.GenerateIds(model, [3, 17], options, []);
        Assert.Equal(cached, TextGenerator.GenerateIds(model, [3, 17], options with { UseKvCache = false }, []));
        Assert.Equal(15, cached.Count);
    }
    [Fact]
    public void Double_backward_through_the_embeddings_works_and_DeepCopy_is_independent()
    {
        Write(parallel: true);
        using var model = ModelLoader.Load(folder);
        using var copy = model.DeepCopy();
        using var ids = tensor(new long[] { 3, 17, 21, 8 }, [1, 4]);
        var embeddings = copy.Embed(ids).detach().requires_grad_(true);
        var loss = copy.ForwardEmbeddings(embeddings).log_softmax(-1)[0, -1, 5];
        var grad = autograd.grad([loss], [embeddings], retain_graph: true, create_graph: true)[0];
        grad.pow(2).sum().backward();
        // every weight but the input embedding table (the embeddings were detached and NeoX's classifier is untied)
        Assert.All(copy.named_parameters().Where(p => p.name != "embed_in.weight"), p => Assert.NotNull(p.parameter.grad));
        using (no_grad())
        {
            Assert.True(model.Forward(ids).allclose(copy.Forward(ids), rtol: 0, atol: 0));
            copy.parameters().First().add_(1.0f);
            Assert.False(model.Forward(ids).allclose(copy.Forward(ids)));
        }
    }
}
