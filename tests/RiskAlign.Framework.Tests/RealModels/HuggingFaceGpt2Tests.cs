using System.Text.Json;

namespace RiskAlign.Framework.Tests.RealModels;

/// <summary>
/// A small random GPT-2 checkpoint in Hugging Face layout (Conv1D weights [in, out], <c>transformer.</c> prefix), written
/// by the test, loaded through <see cref="ModelLoader"/>, and compared with a forward pass written here straight from
/// the HF tensors following modeling_gpt2.py (x·W + b projections, q/k/v split of c_attn, tanh GELU written as
/// x·σ(2·√(2/π)·(x + 0.044715x³))). No pretrained GPT-2 weights or PyTorch reference were available.
/// </summary>
public sealed class HuggingFaceGpt2Tests : IDisposable
{
    private const int D = 16, Layers = 2, Heads = 2, Vocab = 50, Positions = 32, Inner = 40;
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-hf-gpt2-").FullName;
    private readonly Dictionary<string, Tensor> hf = new();

    public HuggingFaceGpt2Tests()
    {
        var g = new Generator(1234);
        Tensor R(params long[] shape) => randn(shape, generator: g) * 0.3;
        void Add(string name, Tensor t) => hf["transformer." + name] = t;
        Add("wte.weight", R(Vocab, D));
        Add("wpe.weight", R(Positions, D));
        for (int i = 0; i < Layers; i++)
        {
            Add($"h.{i}.ln_1.weight", 1 + R(D)); Add($"h.{i}.ln_1.bias", R(D));
            Add($"h.{i}.attn.c_attn.weight", R(D, 3 * D)); Add($"h.{i}.attn.c_attn.bias", R(3 * D));
            Add($"h.{i}.attn.c_proj.weight", R(D, D)); Add($"h.{i}.attn.c_proj.bias", R(D));
            Add($"h.{i}.ln_2.weight", 1 + R(D)); Add($"h.{i}.ln_2.bias", R(D));
            Add($"h.{i}.mlp.c_fc.weight", R(D, Inner)); Add($"h.{i}.mlp.c_fc.bias", R(Inner));
            Add($"h.{i}.mlp.c_proj.weight", R(Inner, D)); Add($"h.{i}.mlp.c_proj.bias", R(D));
        }
        Add("ln_f.weight", 1 + R(D)); Add("ln_f.bias", R(D));
        hf["lm_head.weight"] = hf["transformer.wte.weight"];
        var config = new { model_type = "gpt2", n_embd = D, n_layer = Layers, n_head = Heads, vocab_size = Vocab, n_positions = Positions,
            n_inner = Inner, layer_norm_epsilon = 1e-5, activation_function = "gelu_new" };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private Tensor Reference(long[] ids)
    {
        Tensor W(string name) => hf["transformer." + name];
        Tensor Ln(Tensor x, string name) => nn.functional.layer_norm(x, [D], W(name + ".weight"), W(name + ".bias"), 1e-5);
        long t = ids.Length, hd = D / Heads;
        var x = W("wte.weight").index_select(0, tensor(ids)) + W("wpe.weight").narrow(0, 0, t); // [T, D]
        var future = ones(t, t).triu(1).to_type(ScalarType.Bool);
        for (int i = 0; i < Layers; i++)
        {
            var qkv = Ln(x, $"h.{i}.ln_1").matmul(W($"h.{i}.attn.c_attn.weight")) + W($"h.{i}.attn.c_attn.bias"); // [T, 3D]
            var parts = qkv.split(D, 1);
            Tensor Heads_(Tensor a) => a.view(t, Heads, hd).transpose(0, 1); // [H, T, hd]
            var scores = Heads_(parts[0]).matmul(Heads_(parts[1]).transpose(1, 2)) / Math.Sqrt(hd);
            var o = scores.masked_fill(future, double.NegativeInfinity).softmax(-1).matmul(Heads_(parts[2])).transpose(0, 1).reshape(t, D);
            x = x + o.matmul(W($"h.{i}.attn.c_proj.weight")) + W($"h.{i}.attn.c_proj.bias");
            var f = Ln(x, $"h.{i}.ln_2").matmul(W($"h.{i}.mlp.c_fc.weight")) + W($"h.{i}.mlp.c_fc.bias");
            f = f * (2 * Math.Sqrt(2 / Math.PI) * (f + 0.044715 * f.pow(3))).sigmoid();
            x = x + f.matmul(W($"h.{i}.mlp.c_proj.weight")) + W($"h.{i}.mlp.c_proj.bias");
        }
        return Ln(x, "ln_f").matmul(W("wte.weight").t()); // [T, V]
    }

    [Fact]
    public void Loaded_random_GPT2_matches_a_forward_written_from_the_HF_tensors()
    {
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), hf);
        using var model = ModelLoader.Load(folder, CPU);
        Assert.IsType<Gpt2Model>(model);
        long[] ids = [3, 17, 42, 0, 8, 8, 49, 21, 5, 30];
        using var _ = no_grad();
        var logits = model.Forward(tensor(ids, [1, ids.Length]))[0];
        double maxDiff = (logits - Reference(ids)).abs().max().item<float>();
        Assert.True(maxDiff < 1e-4, $"max logit difference {maxDiff}");
    }

    [Fact]
    public void Cached_and_uncached_GPT2_generation_agree()
    {
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), hf);
        using var model = ModelLoader.Load(folder);
        var cacheModel = (IKvCacheModel)model;
        long[] ids = [3, 17, 42, 0, 8, 8, 49, 21];
        using var _ = no_grad();
        var input = tensor(ids, [1, ids.Length]);
        var full = model.Forward(input);
        using var cache = cacheModel.CreateCache();
        var parts = new List<Tensor> { cacheModel.ForwardCached(input.narrow(1, 0, 3), cache) };
        for (int t = 3; t < ids.Length; t++) parts.Add(cacheModel.ForwardCached(input.narrow(1, t, 1), cache));
        Assert.True(full.allclose(cat(parts, 1), rtol: 0, atol: 1e-5));
        var options = new GenerationOptions { MaxNewTokens = 15 };
        Assert.Equal(TextGenerator.GenerateIds(model, [3], options, []),
            TextGenerator.GenerateIds(model, [3], options with { UseKvCache = false }, []));
    }

    [Fact]
    public void A_missing_GPT2_tensor_is_named_with_its_checkpoint_name()
    {
        hf.Remove("transformer.h.1.mlp.c_fc.bias");
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), hf);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(folder));
        Assert.Contains("transformer.h.1.mlp.c_fc.bias", e.Message);
    }

    [Fact]
    public void Fused_tanh_GELU_equals_the_written_out_formula_with_first_and_second_derivatives()
    {
        // Float64, so that any difference is the formula's, not rounding's. The second derivative is what WDPO's
        // double backward takes through every GPT-2 MLP.
        var x = linspace(-6, 6, 97, dtype: ScalarType.Float64).requires_grad_(true);
        Tensor Written(Tensor v) => 0.5 * v * (1 + (Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v.pow(3))).tanh());
        var (fused, written) = (Gpt2Model.GeluNew(x), Written(x));
        Assert.True(fused.allclose(written, rtol: 0, atol: 1e-14), "values");
        var dFused = autograd.grad([fused.sum()], [x], retain_graph: true, create_graph: true)[0];
        var dWritten = autograd.grad([written.sum()], [x], retain_graph: true, create_graph: true)[0];
        Assert.True(dFused.allclose(dWritten, rtol: 0, atol: 1e-13), "first derivative");
        var d2Fused = autograd.grad([dFused.sum()], [x])[0];
        var d2Written = autograd.grad([dWritten.sum()], [x])[0];
        Assert.True(d2Fused.allclose(d2Written, rtol: 0, atol: 1e-12), $"second derivative: max difference {(d2Fused - d2Written).abs().max().item<double>()}");
    }

    [Fact]
    public void Double_backward_through_the_embeddings_works_and_DeepCopy_is_independent()
    {
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), hf);
        using var model = ModelLoader.Load(folder);
        using var copy = model.DeepCopy();
        using var ids = tensor(new long[] { 3, 17, 21, 8 }, [1, 4]);
        var embeddings = copy.Embed(ids).detach().requires_grad_(true);
        var loss = copy.ForwardEmbeddings(embeddings).log_softmax(-1)[0, -1, 5];
        var grad = autograd.grad([loss], [embeddings], retain_graph: true, create_graph: true)[0];
        grad.pow(2).sum().backward();
        Assert.All(copy.parameters(), p => Assert.NotNull(p.grad));
        using (no_grad())
        {
            Assert.True(model.Forward(ids).allclose(copy.Forward(ids), rtol: 0, atol: 0));
            copy.parameters().First().add_(1.0f);
            Assert.False(model.Forward(ids).allclose(copy.Forward(ids)));
        }
    }
}
