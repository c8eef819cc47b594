using System.Text.Json;
using System.Text.Json.Nodes;

namespace RiskAlign.Framework.Tests.RealModels;

/// <summary>
/// Small random Llama, Qwen2 and Mistral checkpoints written by the test in Hugging Face layout, one per config variant
/// (transformers 5's rope_parameters and the older rope_theta / rope_scaling; llama3 and linear RoPE scaling; q/k/v(/o)
/// biases; tied and untied embeddings; Mistral's sliding window), loaded through <see cref="ModelLoader"/> and compared
/// with a forward written here from the raw tensors following transformers' modeling_llama.py / modeling_qwen2.py /
/// modeling_mistral.py and modeling_rope_utils.py (inverse frequencies computed here in double precision, not with
/// <see cref="RotaryFrequencies"/>). These cover transformers 5's rope_parameters; checkpoints and logits written by
/// transformers 4.44 itself (old keys only) are in <see cref="TransformersFixtureTests"/>.
/// </summary>
public sealed class HuggingFaceLlamaFamilyTests : IDisposable
{
    private const int D = 32, Layers = 2, Heads = 4, KvHeads = 2, Vocab = 50, Hidden = 48, Positions = 64, Hd = D / Heads;
    private static readonly long[] Ids = [3, 17, 49, 0, 8, 8, 21, 5, 30, 11, 2, 44];
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-hf-llama-family-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>One config variant: config.json fields beyond the shape, and what the reference forward must do.</summary>
    private sealed record Variant(string ModelType, JsonObject Extra, bool Tied, bool QkvBias, bool OBias, double Theta,
        Func<double, double, double>? Scale = null, int? Window = null);

    private static double Llama3(double f, double factor, double low, double high, double old)
    {
        // modeling_rope_utils._compute_llama3_parameters, per frequency
        double wavelength = 2 * Math.PI / f;
        if (wavelength < old / high) return f;
        if (wavelength > old / low) return f / factor;
        double smooth = (old / wavelength - low) / (high - low);
        return (1 - smooth) * f / factor + smooth * f;
    }

    private static Variant Get(string name) => name switch
    {
        "llama rope_parameters theta 500000" => new("llama", new() { ["rope_parameters"] = new JsonObject { ["rope_theta"] = 500000.0, ["rope_type"] = "default" } }, false, false, false, 500000),
        "llama old rope_theta 500000" => new("llama", new() { ["rope_theta"] = 500000.0, ["rope_scaling"] = null }, true, false, false, 500000),
        "llama3 scaling (rope_parameters)" => new("llama", new() { ["rope_parameters"] = new JsonObject {
            ["rope_theta"] = 500000.0, ["rope_type"] = "llama3", ["factor"] = 8.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0, ["original_max_position_embeddings"] = 512 } },
            false, false, false, 500000, (f, _) => Llama3(f, 8, 1, 4, 512)),
        "llama3 scaling (old rope_scaling)" => new("llama", new() { ["rope_theta"] = 500000.0, ["rope_scaling"] = new JsonObject {
            ["rope_type"] = "llama3", ["factor"] = 8.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0, ["original_max_position_embeddings"] = 512 } },
            true, false, false, 500000, (f, _) => Llama3(f, 8, 1, 4, 512)),
        "linear scaling (old rope_scaling type)" => new("llama", new() { ["rope_scaling"] = new JsonObject { ["type"] = "linear", ["factor"] = 2.0 } }, false, false, false, 10000, (f, _) => f / 2),
        "llama attention_bias" => new("llama", new() { ["attention_bias"] = true }, false, true, true, 10000),
        "qwen2 untied" => new("qwen2", new() { ["rope_theta"] = 1000000.0, ["use_sliding_window"] = false, ["sliding_window"] = 4, ["max_window_layers"] = 1 }, false, true, false, 1000000),
        "qwen2 tied (rope_parameters, layer_types)" => new("qwen2", new() { ["rope_parameters"] = new JsonObject { ["rope_theta"] = 1000000.0, ["rope_type"] = "default" },
            ["layer_types"] = new JsonArray("full_attention", "full_attention") }, true, true, false, 1000000),
        "mistral sliding_window 4" => new("mistral", new() { ["sliding_window"] = 4 }, false, false, false, 10000, Window: 4),
        "mistral sliding_window null" => new("mistral", new() { ["sliding_window"] = null }, false, false, false, 10000),
        _ => throw new ArgumentException(name),
    };

    private Dictionary<string, Tensor> Weights(Variant v)
    {
        var g = new Generator(7);
        Tensor R(params long[] shape) => randn(shape, generator: g) * 0.3;
        int kv = KvHeads * Hd;
        var w = new Dictionary<string, Tensor> { ["model.embed_tokens.weight"] = R(Vocab, D), ["model.norm.weight"] = 1 + R(D) };
        for (int i = 0; i < Layers; i++)
        {
            string l = $"model.layers.{i}.";
            w[l + "input_layernorm.weight"] = 1 + R(D);
            w[l + "post_attention_layernorm.weight"] = 1 + R(D);
            w[l + "self_attn.q_proj.weight"] = R(D, D);
            w[l + "self_attn.k_proj.weight"] = R(kv, D);
            w[l + "self_attn.v_proj.weight"] = R(kv, D);
            w[l + "self_attn.o_proj.weight"] = R(D, D);
            if (v.QkvBias) { w[l + "self_attn.q_proj.bias"] = R(D); w[l + "self_attn.k_proj.bias"] = R(kv); w[l + "self_attn.v_proj.bias"] = R(kv); }
            if (v.OBias) w[l + "self_attn.o_proj.bias"] = R(D);
            w[l + "mlp.gate_proj.weight"] = R(Hidden, D);
            w[l + "mlp.up_proj.weight"] = R(Hidden, D);
            w[l + "mlp.down_proj.weight"] = R(D, Hidden);
        }
        if (!v.Tied) w["lm_head.weight"] = R(Vocab, D);
        return w;
    }

    private static JsonObject Config(Variant v)
    {
        var config = new JsonObject
        {
            ["model_type"] = v.ModelType, ["hidden_size"] = D, ["intermediate_size"] = Hidden, ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads, ["num_key_value_heads"] = KvHeads, ["vocab_size"] = Vocab, ["max_position_embeddings"] = Positions,
            ["rms_norm_eps"] = 1e-6, ["tie_word_embeddings"] = v.Tied, ["hidden_act"] = "silu", ["head_dim"] = Hd,
        };
        foreach (var (key, value) in v.Extra) config[key] = value?.DeepClone();
        return config;
    }

    private void Write(JsonObject config, Dictionary<string, Tensor> weights)
    {
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), weights);
    }

    /// <summary>transformers' forward for these checkpoints, from the HF tensors: RMSNorm, rotate_half RoPE, GQA
    /// (repeat_kv), causal mask (with kv_idx &gt; q_idx − window for sliding windows), SwiGLU, lm_head or tied.</summary>
    private static Tensor Reference(Variant v, Dictionary<string, Tensor> w, long[] ids)
    {
        long t = ids.Length;
        Tensor Rms(Tensor x, string name) => x * (x.pow(2).mean([-1], keepdim: true) + 1e-6).rsqrt() * w[name];
        Tensor Lin(Tensor x, string name) => x.matmul(w[name + ".weight"].t()) + (w.TryGetValue(name + ".bias", out var b) ? b : zeros(1));
        var invFreq = Enumerable.Range(0, Hd / 2).Select(j => 1.0 / Math.Pow(v.Theta, 2.0 * j / Hd)).Select(f => v.Scale?.Invoke(f, 0) ?? f).ToArray();
        var freqs = arange(t, dtype: ScalarType.Float64).unsqueeze(1) * tensor(invFreq).unsqueeze(0); // [T, hd/2]
        var emb = cat([freqs, freqs], -1).to_type(ScalarType.Float32);
        Tensor RotateHalf(Tensor a) => cat([-a.narrow(-1, Hd / 2, Hd / 2), a.narrow(-1, 0, Hd / 2)], -1);
        Tensor Rope(Tensor a) => a * emb.cos() + RotateHalf(a) * emb.sin();
        var q_idx = arange(t).unsqueeze(1);
        var kv_idx = arange(t).unsqueeze(0);
        var visible = kv_idx <= q_idx;
        if (v.Window is int window) visible = visible.logical_and(kv_idx > q_idx - window);
        var x = w["model.embed_tokens.weight"].index_select(0, tensor(ids)); // [T, D]
        for (int i = 0; i < Layers; i++)
        {
            string l = $"model.layers.{i}.";
            var h = Rms(x, l + "input_layernorm.weight");
            var q = Rope(Lin(h, l + "self_attn.q_proj").view(t, Heads, Hd).transpose(0, 1)); // [H, T, hd]
            var k = Rope(Lin(h, l + "self_attn.k_proj").view(t, KvHeads, Hd).transpose(0, 1)); // [KVH, T, hd]
            var val = Lin(h, l + "self_attn.v_proj").view(t, KvHeads, Hd).transpose(0, 1);
            k = k.repeat_interleave(Heads / KvHeads, 0);
            val = val.repeat_interleave(Heads / KvHeads, 0);
            var att = (q.matmul(k.transpose(1, 2)) / Math.Sqrt(Hd)).masked_fill(visible.logical_not(), double.NegativeInfinity).softmax(-1);
            x = x + Lin(att.matmul(val).transpose(0, 1).reshape(t, D), l + "self_attn.o_proj");
            var m = Rms(x, l + "post_attention_layernorm.weight");
            x = x + Lin(nn.functional.silu(Lin(m, l + "mlp.gate_proj")) * Lin(m, l + "mlp.up_proj"), l + "mlp.down_proj");
        }
        x = Rms(x, "model.norm.weight");
        return x.matmul((v.Tied ? w["model.embed_tokens.weight"] : w["lm_head.weight"]).t());
    }

    [Theory]
    [InlineData("llama rope_parameters theta 500000")]
    [InlineData("llama old rope_theta 500000")]
    [InlineData("llama3 scaling (rope_parameters)")]
    [InlineData("llama3 scaling (old rope_scaling)")]
    [InlineData("linear scaling (old rope_scaling type)")]
    [InlineData("llama attention_bias")]
    [InlineData("qwen2 untied")]
    [InlineData("qwen2 tied (rope_parameters, layer_types)")]
    [InlineData("mistral sliding_window 4")]
    [InlineData("mistral sliding_window null")]
    public void Each_config_variant_loads_and_matches_a_forward_written_from_the_HF_tensors(string name)
    {
        var v = Get(name);
        var weights = Weights(v);
        Write(Config(v), weights);
        using var model = ModelLoader.Load(folder, CPU);
        using var _ = no_grad();
        var logits = model.Forward(tensor(Ids, [1, Ids.Length]))[0];
        double maxDiff = (logits - Reference(v, weights, Ids)).abs().max().item<float>();
        Assert.True(maxDiff < 1e-4, $"{name}: max logit difference {maxDiff}");
    }

    [Theory]
    [InlineData("mistral sliding_window 4")]
    [InlineData("llama3 scaling (rope_parameters)")]
    public void Cached_generation_agrees_with_uncached_past_the_sliding_window(string name)
    {
        var v = Get(name);
        Write(Config(v), Weights(v));
        using var model = ModelLoader.Load(folder);
        var options = new GenerationOptions { MaxNewTokens = 12 };
        var cached = TextGenerator.GenerateIds(model, [3, 17, 5], options, []);
        Assert.Equal(cached, TextGenerator.GenerateIds(model, [3, 17, 5], options with { UseKvCache = false }, []));
    }

    [Fact]
    public void The_sliding_window_changes_the_logits_only_past_the_window()
    {
        var windowed = Get("mistral sliding_window 4");
        var weights = Weights(windowed);
        Write(Config(windowed), weights);
        using var model = ModelLoader.Load(folder);
        using var _ = no_grad();
        var logits = model.Forward(tensor(Ids, [1, Ids.Length]))[0];
        var full = Reference(windowed with { Window = null }, weights, Ids);
        Assert.True(logits.narrow(0, 0, 4).allclose(full.narrow(0, 0, 4), rtol: 0, atol: 1e-4), "positions 0..3 see at most 4 keys either way");
        Assert.False(logits.narrow(0, 4, Ids.Length - 4).allclose(full.narrow(0, 4, Ids.Length - 4), rtol: 0, atol: 1e-3), "later positions must lose the old keys");
    }

    [Theory]
    [InlineData("llama", "rope_scaling", """{"rope_type": "yarn", "factor": 4.0}""", "rope_type \"yarn\"", "llama3")]
    [InlineData("llama", "rope_parameters", """{"rope_type": "dynamic", "rope_theta": 10000.0, "factor": 2.0}""", "rope_type \"dynamic\"", "linear")]
    [InlineData("llama", "rope_parameters", """{"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 512, "beta_fast": 32}""", "\"beta_fast\"", "low_freq_factor")]
    [InlineData("llama", "rope_parameters", """{"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5}""", "partial_rotary_factor = 0.5", "supported: 1")]
    [InlineData("llama", "mlp_bias", "true", "\"mlp_bias\" = true", "supported: false")]
    [InlineData("llama", "hidden_act", "\"gelu\"", "\"hidden_act\" = \"gelu\"", "\"silu\"")]
    [InlineData("llama", "head_dim", "16", "\"head_dim\" = 16", "hidden_size / num_attention_heads")]
    [InlineData("qwen2", "use_sliding_window", "true", "\"use_sliding_window\" = true", "not implemented")]
    [InlineData("qwen2", "layer_types", """["full_attention", "sliding_attention"]""", "\"layer_types\"", "full_attention")]
    [InlineData("mistral", "sliding_window", "0", "\"sliding_window\" = 0", "positive integer")]
    public void An_unsupported_key_is_refused_naming_key_value_and_what_is_supported(string modelType, string key, string json, string names, string supported)
    {
        var v = Get(modelType == "qwen2" ? "qwen2 untied" : modelType == "mistral" ? "mistral sliding_window null" : "llama rope_parameters theta 500000");
        var config = Config(v);
        config.Remove("rope_parameters");
        if (key == "head_dim") config["num_attention_heads"] = Heads; // 16 · 4 ≠ 32
        config[key] = JsonNode.Parse(json);
        Write(config, Weights(v));
        var e = Assert.Throws<NotSupportedException>(() => ModelLoader.Load(folder));
        Assert.Contains(names, e.Message);
        Assert.Contains(supported, e.Message);
        Assert.Contains("config.json", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Rope_theta_given_twice_with_different_values_is_refused()
    {
        var v = Get("llama rope_parameters theta 500000");
        var config = Config(v);
        config["rope_theta"] = 10000.0;
        Write(config, Weights(v));
        var e = Assert.Throws<NotSupportedException>(() => ModelLoader.Load(folder));
        Assert.Contains("500000", e.Message);
        Assert.Contains("10000", e.Message);
    }

    [Fact]
    public void An_unsupported_architecture_is_one_line_naming_it_and_the_supported_ones()
    {
        var v = Get("llama old rope_theta 500000");
        var config = Config(v);
        config["model_type"] = "phi3";
        Write(config, Weights(v));
        var e = Assert.Throws<NotSupportedException>(() => ModelLoader.Load(folder));
        Assert.Contains("\"phi3\"", e.Message);
        foreach (var type in new[] { "llama", "qwen2", "mistral", "gpt2", "gpt_neox" }) Assert.Contains(type, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Qwen2_without_its_qkv_biases_names_the_missing_tensor_and_its_shape()
    {
        var v = Get("qwen2 untied");
        var weights = Weights(v);
        weights.Remove("model.layers.1.self_attn.k_proj.bias");
        Write(Config(v), weights);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(folder));
        Assert.Contains("model.layers.1.self_attn.k_proj.bias", e.Message);
        Assert.Contains($"[{KvHeads * Hd}]", e.Message);
    }

    [Fact]
    public void A_header_shape_that_disagrees_with_the_config_names_the_tensor_and_both_shapes()
    {
        var v = Get("llama old rope_theta 500000");
        var weights = Weights(v);
        weights["model.layers.0.mlp.up_proj.weight"] = zeros(Hidden + 1, D);
        Write(Config(v), weights);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(folder));
        Assert.Contains("model.layers.0.mlp.up_proj.weight", e.Message);
        Assert.Contains($"[{Hidden + 1}, {D}]", e.Message);
        Assert.Contains($"[{Hidden}, {D}]", e.Message);
    }

    [Fact]
    public void A_truncated_safetensors_file_names_the_tensor_that_runs_past_the_end()
    {
        var v = Get("llama old rope_theta 500000");
        Write(Config(v), Weights(v));
        var path = Path.Combine(folder, "model.safetensors");
        var header = Safetensors.ReadHeader(path);
        var last = header.MaxBy(e => e.End)!;
        using (var stream = File.OpenWrite(path)) stream.SetLength(stream.Length - 10);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(folder));
        Assert.Contains($"'{last.Name}'", e.Message);
        Assert.Contains($"[{string.Join(", ", last.Shape)}]", e.Message);
        Assert.Contains("past the end", e.Message);
    }
}
