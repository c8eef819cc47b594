using System.Text.Json;
using RiskAlign.Framework.Models.Llama;
using static TorchSharp.torch;
using RiskAlign.Framework.Models.Checkpoints;

namespace RiskAlign.Framework.Models.Llama;

/// <summary>
/// Hugging Face <c>LlamaForCausalLM</c> checkpoints: config.json fields to <see cref="LlamaConfig"/> (RoPE in HF's
/// half-split "rotate_half" pairing) and HF tensor names to <see cref="LlamaModel"/>'s:
/// <c>model.embed_tokens</c> → <c>tok_embeddings</c>, <c>model.layers.i.input_layernorm</c> → <c>attention_norm</c>,
/// <c>self_attn.{q,k,v,o}_proj</c> → <c>attention.w{q,k,v,o}</c>, <c>post_attention_layernorm</c> → <c>ffn_norm</c>,
/// <c>mlp.gate_proj / down_proj / up_proj</c> → <c>feed_forward.w1 / w2 / w3</c>, <c>model.norm</c> → <c>norm</c>,
/// <c>lm_head</c> → <c>output</c>. HF's converter permutes wq/wk rows so that half-split RoPE computes what Meta's
/// interleaved RoPE did; the weights are therefore used as stored, with <see cref="RopeStyle.HalfSplit"/>.
/// </summary>
public static class HuggingFaceLlama
{
    /// <summary>The Llama shape described by a config.json.</summary>
    public static LlamaConfig ReadConfig(string configPath, JsonElement json)
    {
        var fields = new HuggingFaceConfigJson(configPath, json);

        if (json.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null)
            throw new NotSupportedException($"{configPath}: \"rope_scaling\" ({scaling.GetRawText()}) is not supported; only plain RoPE is.");
        if (fields.Bool("attention_bias", false) || fields.Bool("mlp_bias", false))
            throw new NotSupportedException($"{configPath}: attention_bias / mlp_bias = true is not supported (Llama has no biases).");
        if (json.TryGetProperty("hidden_act", out var act) && act.GetString() is { } activation && activation != "silu")
            throw new NotSupportedException($"{configPath}: hidden_act \"{activation}\" is not supported; Llama's SwiGLU uses \"silu\".");
        int dim = fields.Int("hidden_size"), heads = fields.Int("num_attention_heads");
        if (json.TryGetProperty("head_dim", out var headDim) && headDim.ValueKind == JsonValueKind.Number && headDim.GetInt32() * heads != dim)
            throw new NotSupportedException($"{configPath}: head_dim {headDim.GetInt32()} · {heads} heads ≠ hidden_size {dim}; only head_dim = hidden_size / heads is supported.");
        var config = new LlamaConfig(
            Dim: dim,
            HiddenDim: fields.Int("intermediate_size"),
            Layers: fields.Int("num_hidden_layers"),
            Heads: heads,
            KvHeads: fields.Int("num_key_value_heads", heads),
            VocabularySize: fields.Int("vocab_size"),
            MaxSequenceLength: fields.Int("max_position_embeddings", 2048),
            TiedEmbeddings: fields.Bool("tie_word_embeddings", false),
            NormEps: fields.Double("rms_norm_eps", 1e-6),
            RopeTheta: fields.Double("rope_theta", 10000.0),
            RopeStyle: RopeStyle.HalfSplit);
        try { config.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{configPath}: {e.Message}", e); }
        return config;
    }

    internal static LlamaModel Load(string configPath, JsonElement json, WeightSet weights)
    {
        using var _ = weights;
        var config = ReadConfig(configPath, json);
        long d = config.Dim, hid = config.HiddenDim, kv = config.KvHeads * config.HeadDim, v = config.VocabularySize;
        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        void Map(string hfName, string ourName, params long[] shape)
        {
            mapped[ourName] = weights.Require(hfName, shape);
            used.Add(hfName);
        }
        Map("model.embed_tokens.weight", "tok_embeddings.weight", v, d);
        for (int i = 0; i < config.Layers; i++)
        {
            string hf = $"model.layers.{i}.", ours = $"layers.{i}.";
            Map(hf + "input_layernorm.weight", ours + "attention_norm.weight", d);
            Map(hf + "self_attn.q_proj.weight", ours + "attention.wq.weight", d, d);
            Map(hf + "self_attn.k_proj.weight", ours + "attention.wk.weight", kv, d);
            Map(hf + "self_attn.v_proj.weight", ours + "attention.wv.weight", kv, d);
            Map(hf + "self_attn.o_proj.weight", ours + "attention.wo.weight", d, d);
            Map(hf + "post_attention_layernorm.weight", ours + "ffn_norm.weight", d);
            Map(hf + "mlp.gate_proj.weight", ours + "feed_forward.w1.weight", hid, d);
            Map(hf + "mlp.down_proj.weight", ours + "feed_forward.w2.weight", d, hid);
            Map(hf + "mlp.up_proj.weight", ours + "feed_forward.w3.weight", hid, d);
        }
        Map("model.norm.weight", "norm.weight", d);
        if (!config.TiedEmbeddings) Map("lm_head.weight", "output.weight", v, d);
        else used.Add("lm_head.weight"); // some tied checkpoints store the shared matrix again
        var unexpected = weights.Tensors.Keys.Where(k => !used.Contains(k) && !k.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException(
                $"{Path.GetDirectoryName(configPath)}: tensors a Llama with this config.json does not have: {string.Join(", ", unexpected.Take(10))}{(unexpected.Count > 10 ? ", …" : "")}.");
        var model = new LlamaModel(config);
        model.LoadWeights(mapped, Path.GetDirectoryName(configPath)!);
        return model;
    }
}
