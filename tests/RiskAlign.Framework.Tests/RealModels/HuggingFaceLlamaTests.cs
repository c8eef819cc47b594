using System.Text.Json;

namespace RiskAlign.Framework.Tests.RealModels;

/// <summary>
/// stories260K converted to Hugging Face layout the way transformers' convert_llama_weights_to_hf.py does it (rename,
/// and permute wq/wk rows so half-split "rotate_half" RoPE reproduces Meta's interleaved RoPE), then read back through
/// <see cref="ModelLoader"/>: the logits must equal the llama2.c model's, which are pinned to run.c elsewhere.
/// </summary>
public sealed class HuggingFaceLlamaTests(Stories260K assets) : IClassFixture<Stories260K>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-hf-llama-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly long[] Sequence = [1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401];

    /// <summary>convert_llama_weights_to_hf.py's permute: w.view(heads, rows/heads/2, 2, cols).transpose(1, 2).reshape(rows, cols).</summary>
    private static Tensor Permute(Tensor w, int heads) =>
        w.view(heads, w.shape[0] / heads / 2, 2, w.shape[1]).transpose(1, 2).reshape(w.shape[0], w.shape[1]);

    private Dictionary<string, Tensor> HfTensors(bool withLmHead)
    {
        var c = assets.Model.Config;
        var p = assets.Model.named_parameters().ToDictionary(x => x.name, x => (Tensor)x.parameter.detach());
        var hf = new Dictionary<string, Tensor> { ["model.embed_tokens.weight"] = p["tok_embeddings.weight"], ["model.norm.weight"] = p["norm.weight"] };
        for (int i = 0; i < c.Layers; i++)
        {
            string h = $"model.layers.{i}.", o = $"layers.{i}.";
            hf[h + "input_layernorm.weight"] = p[o + "attention_norm.weight"];
            hf[h + "self_attn.q_proj.weight"] = Permute(p[o + "attention.wq.weight"], c.Heads);
            hf[h + "self_attn.k_proj.weight"] = Permute(p[o + "attention.wk.weight"], c.KvHeads);
            hf[h + "self_attn.v_proj.weight"] = p[o + "attention.wv.weight"];
            hf[h + "self_attn.o_proj.weight"] = p[o + "attention.wo.weight"];
            hf[h + "post_attention_layernorm.weight"] = p[o + "ffn_norm.weight"];
            hf[h + "mlp.gate_proj.weight"] = p[o + "feed_forward.w1.weight"];
            hf[h + "mlp.down_proj.weight"] = p[o + "feed_forward.w2.weight"];
            hf[h + "mlp.up_proj.weight"] = p[o + "feed_forward.w3.weight"];
        }
        if (withLmHead) hf["lm_head.weight"] = p["tok_embeddings.weight"];
        return hf;
    }

    private void WriteConfig(bool tied, string modelType = "llama")
    {
        var c = assets.Model.Config;
        var config = new Dictionary<string, object>
        {
            ["architectures"] = new[] { "LlamaForCausalLM" }, ["model_type"] = modelType, ["hidden_size"] = c.Dim,
            ["intermediate_size"] = c.HiddenDim, ["num_hidden_layers"] = c.Layers, ["num_attention_heads"] = c.Heads,
            ["num_key_value_heads"] = c.KvHeads, ["vocab_size"] = c.VocabularySize, ["max_position_embeddings"] = c.MaxSequenceLength,
            ["rms_norm_eps"] = 1e-5, ["rope_theta"] = 10000.0, ["tie_word_embeddings"] = tied, ["hidden_act"] = "silu", ["rope_scaling"] = null!,
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
    }

    private void AssertSameLogitsAsLlama2c(CausalLanguageModel loaded)
    {
        using var _ = no_grad();
        using var ids = tensor(Sequence, [1, Sequence.Length]);
        using var expected = assets.Model.Forward(ids);
        using var actual = loaded.Forward(ids);
        double maxDiff = (expected - actual).abs().max().item<float>();
        Assert.True(maxDiff < 1e-4, $"max |llama2.c - HF| logit difference {maxDiff}");
    }

    [Fact]
    public void Converted_stories260K_in_one_safetensors_file_gives_the_llama2c_logits_and_greedy_text()
    {
        WriteConfig(tied: true);
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), HfTensors(withLmHead: false));
        using var loaded = ModelLoader.Load(folder, CPU);
        var llama = Assert.IsType<LlamaModel>(loaded);
        Assert.Equal(RopeStyle.HalfSplit, llama.Config.RopeStyle);
        AssertSameLogitsAsLlama2c(loaded);
        var ids = TextGenerator.GenerateIds(loaded, [1], new GenerationOptions { MaxNewTokens = 20 }, [1, 2]);
        Assert.Equal(Stories260K.RunCGreedyIds.Take(20), ids);
    }

    [Fact]
    public void Sharded_untied_checkpoint_through_the_index_gives_the_same_logits()
    {
        WriteConfig(tied: false);
        var all = HfTensors(withLmHead: true);
        var first = all.Where(p => p.Key.StartsWith("model.layers.0.") || p.Key.StartsWith("model.embed")).ToDictionary();
        var second = all.Where(p => !first.ContainsKey(p.Key)).ToDictionary();
        Safetensors.Save(Path.Combine(folder, "model-00001-of-00002.safetensors"), first);
        Safetensors.Save(Path.Combine(folder, "model-00002-of-00002.safetensors"), second);
        var index = new { metadata = new { total_size = 0 }, weight_map = all.Keys.ToDictionary(k => k, k => first.ContainsKey(k) ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors") };
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), JsonSerializer.Serialize(index));
        using var loaded = ModelLoader.Load(folder, CPU);
        Assert.False(((LlamaModel)loaded).Config.TiedEmbeddings);
        AssertSameLogitsAsLlama2c(loaded);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        WriteConfig(tied: true);
        var tensors = HfTensors(withLmHead: false);
        tensors.Remove("model.layers.3.mlp.up_proj.weight");
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), tensors);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(folder));
        Assert.Contains("model.layers.3.mlp.up_proj.weight", e.Message);
        Assert.Contains("[172, 64]", e.Message);
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        WriteConfig(tied: true);
        var tensors = HfTensors(withLmHead: false);
        tensors["model.layers.1.self_attn.k_proj.weight"] = zeros(64, 64);
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), tensors);
        var e = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(folder));
        Assert.Contains("model.layers.1.self_attn.k_proj.weight", e.Message);
        Assert.Contains("[64, 64]", e.Message);
        Assert.Contains("[32, 64]", e.Message);
    }

    [Fact]
    public void An_unknown_architecture_a_missing_config_and_a_missing_shard_are_clear_errors()
    {
        Assert.Contains("config.json", Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(folder)).Message);
        WriteConfig(tied: true, modelType: "mamba");
        Assert.Contains("\"mamba\"", Assert.Throws<NotSupportedException>(() => ModelLoader.Load(folder)).Message);
        WriteConfig(tied: true);
        Assert.Contains("model.safetensors", Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(folder)).Message);
        File.WriteAllText(Path.Combine(folder, "model.safetensors.index.json"), """{"weight_map": {"model.norm.weight": "shard-9.safetensors"}}""");
        Assert.Contains("shard-9.safetensors", Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(folder)).Message);
    }

    [Fact]
    public void Safetensors_reads_F16_and_BF16_as_float32()
    {
        // 1.5 is 0x3E00 in IEEE half and 0x3FC0 in bfloat16; -2 is 0xC000 and 0xC000.
        var path = Path.Combine(folder, "mixed.safetensors");
        var header = """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]}}""";
        using (var stream = File.Create(path))
        {
            stream.Write(BitConverter.GetBytes((ulong)header.Length));
            stream.Write(System.Text.Encoding.ASCII.GetBytes(header));
            stream.Write([0x00, 0x3E, 0x00, 0xC0, 0xC0, 0x3F, 0x00, 0xC0]);
        }
        var tensors = Safetensors.Load(path);
        Assert.Equal([1.5f, -2f], tensors["h"].data<float>().ToArray());
        Assert.Equal([1.5f, -2f], tensors["b"].data<float>().ToArray());
    }

    [Fact]
    public void Safetensors_streams_tensors_through_chunks_that_cover_their_memory_in_order()
    {
        using var t = zeros(3, 7, dtype: ScalarType.Float32);
        var chunks = Safetensors.Chunks(t, chunkBytes: 10).ToList(); // 2 floats a chunk: 11 chunks for 21 elements
        Assert.Equal(11, chunks.Count);
        Assert.Equal(Enumerable.Repeat(2L, 10).Append(1L), chunks.Select(c => c.numel()));
        for (int i = 0; i < chunks.Count; i++)
        {
            var bytes = chunks[i].bytes; // writes land in t's own memory
            for (int j = 0; j < bytes.Length; j += 4) BitConverter.TryWriteBytes(bytes[j..], (float)(2 * i + j / 4));
            chunks[i].Dispose();
        }
        Assert.Equal(Enumerable.Range(0, 21).Select(v => (float)v), t.data<float>().ToArray());

        var path = Path.Combine(folder, "roundtrip.safetensors");
        Safetensors.Save(path, new Dictionary<string, Tensor> { ["t"] = t, ["b"] = t.to_type(ScalarType.BFloat16) });
        var back = Safetensors.Load(path);
        Assert.Equal(t.data<float>().ToArray(), back["t"].data<float>().ToArray());
        Assert.Equal(t.data<float>().ToArray(), back["b"].data<float>().ToArray()); // small integers are exact in bfloat16
    }
}
