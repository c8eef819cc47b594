using System.Text.Json;
using RiskAlign.Framework.Models.Checkpoints;
using RiskAlign.Framework.Models.Gpt2;
using RiskAlign.Framework.Models.GptNeoX;
using RiskAlign.Framework.Models.Llama;

namespace RiskAlign.Framework.Models.Loading;

/// <summary>
/// Writes a model as a Hugging Face folder that <see cref="HuggingFaceCheckpoint"/> (and transformers) reads:
/// config.json (transformers 4 keys, <c>rope_theta</c> / <c>rope_scaling</c>, which transformers 5 also reads),
/// model.safetensors (F32, HF tensor names; Llama wq/wk rows permuted to the half-split layout when the model uses
/// llama2.c's interleaved RoPE, as convert_llama_weights_to_hf.py does; GPT-2 projections as Conv1D [in, out]) and the
/// tokenizer files of <c>tokenizerFolder</c> copied beside them.
/// </summary>
public static class HuggingFaceCheckpointWriter
{
    /// <summary>The tokenizer files a Hugging Face folder may carry; those present are copied.</summary>
    public static IReadOnlyList<string> TokenizerFiles { get; } =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.model", "vocab.json", "merges.txt", "generation_config.json"];

    /// <summary>Writes <paramref name="model"/> to <paramref name="folder"/> (created; existing files replaced).</summary>
    public static void Save(CausalLanguageModel model, string folder, string? tokenizerFolder = null)
    {
        Directory.CreateDirectory(folder);
        using var _ = NewDisposeScope();
        using var noGrad = no_grad();
        var p = model.named_parameters().ToDictionary(x => x.name, x => (Tensor)x.parameter.detach().cpu());
        var (config, tensors) = model switch
        {
            LlamaModel llama => Llama(llama.Config, p),
            Gpt2Model gpt2 => Gpt2(gpt2.Config, p),
            GptNeoXModel neox => NeoX(neox.Config, p),
            _ => throw new NotSupportedException($"Saving a {model.GetType().Name} as a Hugging Face folder is not supported; supported: Llama (llama, qwen2, mistral), GPT-2, GPT-NeoX."),
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true, Converters = { new PythonFloatJsonConverter() } }));
        Safetensors.Save(Path.Combine(folder, "model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        if (tokenizerFolder is not null && Directory.Exists(tokenizerFolder))
            foreach (var name in TokenizerFiles)
                if (File.Exists(Path.Combine(tokenizerFolder, name)))
                    File.Copy(Path.Combine(tokenizerFolder, name), Path.Combine(folder, name), overwrite: true);
    }

    private static (Dictionary<string, object?>, Dictionary<string, Tensor>) Llama(LlamaConfig c, Dictionary<string, Tensor> p)
    {
        string modelType = c.SlidingWindow is not null ? "mistral" : c.QkvBias && !c.OutputBias ? "qwen2" : "llama";
        if (modelType == "mistral" && c.QkvBias) throw new NotSupportedException("A Llama with both a sliding window and attention biases has no Hugging Face model_type.");
        var config = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { modelType switch { "qwen2" => "Qwen2ForCausalLM", "mistral" => "MistralForCausalLM", _ => "LlamaForCausalLM" } },
            ["model_type"] = modelType, ["hidden_size"] = c.Dim, ["intermediate_size"] = c.HiddenDim, ["num_hidden_layers"] = c.Layers,
            ["num_attention_heads"] = c.Heads, ["num_key_value_heads"] = c.KvHeads, ["head_dim"] = c.HeadDim, ["vocab_size"] = c.VocabularySize,
            ["max_position_embeddings"] = c.MaxSequenceLength, ["rms_norm_eps"] = c.NormEps, ["tie_word_embeddings"] = c.TiedEmbeddings,
            ["hidden_act"] = "silu", ["rope_theta"] = c.RopeTheta, ["torch_dtype"] = "float32",
            ["rope_scaling"] = c.RopeScaling is not { Type: not RopeType.Default } s ? null : s.Type == RopeType.Linear
                ? new Dictionary<string, object> { ["rope_type"] = "linear", ["factor"] = s.Factor }
                : new Dictionary<string, object> { ["rope_type"] = "llama3", ["factor"] = s.Factor, ["low_freq_factor"] = s.LowFreqFactor,
                    ["high_freq_factor"] = s.HighFreqFactor, ["original_max_position_embeddings"] = s.OriginalMaxPositions },
        };
        if (modelType == "llama") { config["attention_bias"] = c.OutputBias; config["mlp_bias"] = false; }
        if (modelType == "mistral") config["sliding_window"] = c.SlidingWindow;
        if (modelType == "qwen2") config["use_sliding_window"] = false;
        // Meta/llama2.c interleaved rows → HF half-split rows (convert_llama_weights_to_hf.py's permute)
        Tensor Permute(Tensor w, int heads) => c.RopeStyle == RopeStyle.HalfSplit ? w
            : w.view(heads, w.shape[0] / heads / 2, 2, -1).transpose(1, 2).reshape(w.shape);
        var t = new Dictionary<string, Tensor> { ["model.embed_tokens.weight"] = p["tok_embeddings.weight"], ["model.norm.weight"] = p["norm.weight"] };
        for (int i = 0; i < c.Layers; i++)
        {
            string hf = $"model.layers.{i}.", o = $"layers.{i}.";
            t[hf + "input_layernorm.weight"] = p[o + "attention_norm.weight"];
            t[hf + "post_attention_layernorm.weight"] = p[o + "ffn_norm.weight"];
            t[hf + "self_attn.q_proj.weight"] = Permute(p[o + "attention.wq.weight"], c.Heads);
            t[hf + "self_attn.k_proj.weight"] = Permute(p[o + "attention.wk.weight"], c.KvHeads);
            t[hf + "self_attn.v_proj.weight"] = p[o + "attention.wv.weight"];
            t[hf + "self_attn.o_proj.weight"] = p[o + "attention.wo.weight"];
            if (c.QkvBias)
            {
                t[hf + "self_attn.q_proj.bias"] = Permute(p[o + "attention.wq.bias"].unsqueeze(1), c.Heads).squeeze(1);
                t[hf + "self_attn.k_proj.bias"] = Permute(p[o + "attention.wk.bias"].unsqueeze(1), c.KvHeads).squeeze(1);
                t[hf + "self_attn.v_proj.bias"] = p[o + "attention.wv.bias"];
            }
            if (c.OutputBias) t[hf + "self_attn.o_proj.bias"] = p[o + "attention.wo.bias"];
            t[hf + "mlp.gate_proj.weight"] = p[o + "feed_forward.w1.weight"];
            t[hf + "mlp.down_proj.weight"] = p[o + "feed_forward.w2.weight"];
            t[hf + "mlp.up_proj.weight"] = p[o + "feed_forward.w3.weight"];
        }
        if (!c.TiedEmbeddings) t["lm_head.weight"] = p["output.weight"];
        return (config, t);
    }

    private static (Dictionary<string, object?>, Dictionary<string, Tensor>) Gpt2(Gpt2Config c, Dictionary<string, Tensor> p)
    {
        var config = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { "GPT2LMHeadModel" }, ["model_type"] = "gpt2", ["n_embd"] = c.Dim, ["n_layer"] = c.Layers, ["n_head"] = c.Heads,
            ["vocab_size"] = c.VocabularySize, ["n_positions"] = c.MaxSequenceLength, ["n_inner"] = c.InnerDim, ["layer_norm_epsilon"] = c.NormEps,
            ["activation_function"] = "gelu_new", ["tie_word_embeddings"] = true, ["torch_dtype"] = "float32",
        };
        var t = new Dictionary<string, Tensor>();
        foreach (var (name, value) in p)
        {
            // our Linear [out, in] → HF Conv1D [in, out]; mlp_proj is HF's mlp.c_proj, c_attn/c_proj are attn.*, c_fc is mlp.c_fc
            string hf = name.Replace(".c_attn.", ".attn.c_attn.").Replace(".c_proj.", ".attn.c_proj.")
                .Replace(".c_fc.", ".mlp.c_fc.").Replace(".mlp_proj.", ".mlp.c_proj.");
            bool conv = hf.Contains(".attn.c_") || hf.Contains(".mlp.c_");
            t["transformer." + hf] = conv && name.EndsWith(".weight", StringComparison.Ordinal) ? value.t().contiguous() : value;
        }
        return (config, t);
    }

    private static (Dictionary<string, object?>, Dictionary<string, Tensor>) NeoX(GptNeoXConfig c, Dictionary<string, Tensor> p)
    {
        var config = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { "GPTNeoXForCausalLM" }, ["model_type"] = "gpt_neox", ["hidden_size"] = c.Dim, ["num_hidden_layers"] = c.Layers,
            ["num_attention_heads"] = c.Heads, ["intermediate_size"] = c.InnerDim, ["vocab_size"] = c.VocabularySize,
            ["max_position_embeddings"] = c.MaxSequenceLength, ["rotary_pct"] = c.RotaryPct, ["rotary_emb_base"] = c.RotaryBase,
            ["use_parallel_residual"] = c.ParallelResidual, ["layer_norm_eps"] = c.NormEps, ["hidden_act"] = "gelu",
            ["tie_word_embeddings"] = false, ["attention_bias"] = true, ["torch_dtype"] = "float32",
            // "type", not "rope_type": transformers 4.44's GPT-NeoX accepts exactly {type, factor}; later versions read "type" too
            ["rope_scaling"] = c.RopeScaling is { Type: RopeType.Linear } s ? new Dictionary<string, object> { ["type"] = "linear", ["factor"] = s.Factor } : null,
        };
        if (c.RopeScaling is { Type: RopeType.Llama3 }) throw new NotSupportedException("GPT-NeoX with llama3 RoPE scaling has no Hugging Face config.");
        var t = p.ToDictionary(x => x.Key == "embed_out.weight" ? x.Key : "gpt_neox." + x.Key, x => x.Value);
        return (config, t);
    }
}
