using System.Text.Json;
using RiskAlign.Framework.Models.Checkpoints;

namespace RiskAlign.Framework.Models.Llama;

/// <summary>
/// Hugging Face <c>LlamaForCausalLM</c>, <c>Qwen2ForCausalLM</c> and <c>MistralForCausalLM</c> checkpoints: config.json
/// read through one <see cref="ConfigTable"/> per model_type into <see cref="LlamaConfig"/> (RoPE in HF's half-split
/// "rotate_half" pairing), and HF tensor names to <see cref="LlamaModel"/>'s:
/// <c>model.embed_tokens</c> → <c>tok_embeddings</c>, <c>model.layers.i.input_layernorm</c> → <c>attention_norm</c>,
/// <c>self_attn.{q,k,v,o}_proj</c> → <c>attention.w{q,k,v,o}</c>, <c>post_attention_layernorm</c> → <c>ffn_norm</c>,
/// <c>mlp.gate_proj / down_proj / up_proj</c> → <c>feed_forward.w1 / w2 / w3</c>, <c>model.norm</c> → <c>norm</c>,
/// <c>lm_head</c> → <c>output</c>. HF's converter permutes wq/wk rows so that half-split RoPE computes what Meta's
/// interleaved RoPE did; the weights are therefore used as stored, with <see cref="RopeStyle.HalfSplit"/>.
/// Qwen2 is Llama with biases on q/k/v; Mistral is Llama with a sliding attention window.
/// </summary>
public static class HuggingFaceLlama
{
    private const string RopeTypes = "absent, or rope_type default, linear (factor) or llama3 (factor, low_freq_factor, high_freq_factor, original_max_position_embeddings); partial_rotary_factor 1";

    private static ConfigKey[] Common(int maxPositions) =>
    [
        new("hidden_size", "Dim", null, "> 0"),
        new("intermediate_size", "HiddenDim", null, "> 0"),
        new("num_hidden_layers", "Layers", null, "> 0"),
        new("num_attention_heads", "Heads", null, "divides hidden_size"),
        new("num_key_value_heads", "KvHeads", "= num_attention_heads", "divides num_attention_heads (grouped-query attention)"),
        new("head_dim", "HeadDim", "= hidden_size / num_attention_heads", "hidden_size / num_attention_heads only"),
        new("vocab_size", "VocabularySize", null, "> 0"),
        new("max_position_embeddings", "MaxSequenceLength", maxPositions, "> 0"),
        new("rms_norm_eps", "NormEps", 1e-6, "> 0"),
        new("tie_word_embeddings", "TiedEmbeddings", false, "true (lm_head = embed_tokens) or false (lm_head.weight stored)"),
        new("hidden_act", "SwiGLU activation", "silu", "\"silu\"", ConfigKey.OneOf("silu")),
        new("rope_theta", "RopeTheta", 10000.0, "> 0 (also rope_parameters.rope_theta)"),
        new("rope_parameters", "RopeTheta, RopeScaling (transformers 5)", ConfigDefault.Absent, RopeTypes),
        new("rope_scaling", "RopeScaling (before transformers 5)", ConfigDefault.Absent, RopeTypes),
    ];

    /// <summary>model_type "llama".</summary>
    public static ConfigTable LlamaTable { get; } = new("Llama", [
        .. Common(2048),
        new("attention_bias", "QkvBias, OutputBias", false, "true or false (biases on q/k/v/o projections)"),
        new("mlp_bias", "—", false, "false", ConfigKey.Only(false)),
    ]);

    /// <summary>model_type "qwen2" (Qwen2, Qwen2.5): biases on q/k/v, none on o.</summary>
    public static ConfigTable Qwen2Table { get; } = new("Qwen2", [
        .. Common(32768),
        new("use_sliding_window", "—", false, "false (Qwen2's per-layer windows are not implemented)", ConfigKey.Only(false)),
        new("layer_types", "—", ConfigDefault.Absent, "all \"full_attention\"", AllFullAttention),
    ]);

    /// <summary>model_type "mistral": sliding-window attention.</summary>
    public static ConfigTable MistralTable { get; } = new("Mistral", [
        .. Common(131072),
        new("sliding_window", "SlidingWindow", 4096, "a positive integer (query sees keys fewer than that many positions back) or null (full causal)",
            e => e.ValueKind == JsonValueKind.Null || (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int w) && w > 0)),
    ]);

    /// <summary>The table for a model_type this reader handles, or null.</summary>
    public static ConfigTable? TableFor(string modelType) => modelType switch
    {
        "llama" => LlamaTable,
        "qwen2" => Qwen2Table,
        "mistral" => MistralTable,
        _ => null,
    };

    private static bool AllFullAttention(JsonElement e) =>
        e.ValueKind == JsonValueKind.Null || (e.ValueKind == JsonValueKind.Array && e.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String && t.GetString() == "full_attention"));

    /// <summary>The Llama shape described by a config.json (model_type llama, qwen2 or mistral; llama when absent).</summary>
    public static LlamaConfig ReadConfig(string configPath, JsonElement json)
    {
        string modelType = json.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "llama";
        var table = TableFor(modelType) ?? throw new NotSupportedException($"{configPath}: model_type \"{modelType}\" is not a Llama-family architecture.");
        var values = table.Read(configPath, json);
        int dim = values.Int("hidden_size"), heads = values.Int("num_attention_heads");
        if (values.TryGet("head_dim", out _) && heads > 0 && values.Int("head_dim") * heads != dim)
            throw new NotSupportedException($"{configPath}: \"head_dim\" = {values.Int("head_dim")} with {heads} heads ≠ hidden_size {dim}; supported: head_dim = hidden_size / num_attention_heads.");
        var rope = HuggingFaceRope.Read(values, "rope_theta", null, [RopeType.Default, RopeType.Linear, RopeType.Llama3]);
        if (rope.PartialRotaryFactor != 1.0)
            throw new NotSupportedException($"{configPath}: partial_rotary_factor = {rope.PartialRotaryFactor} is not supported for {table.Architecture}; supported: 1 (rotary on the whole head).");
        bool llamaBias = modelType == "llama" && values.Bool("attention_bias");
        var config = new LlamaConfig(
            Dim: dim,
            HiddenDim: values.Int("intermediate_size"),
            Layers: values.Int("num_hidden_layers"),
            Heads: heads,
            KvHeads: values.Int("num_key_value_heads", heads),
            VocabularySize: values.Int("vocab_size"),
            MaxSequenceLength: values.Int("max_position_embeddings"),
            TiedEmbeddings: values.Bool("tie_word_embeddings"),
            NormEps: values.Double("rms_norm_eps"),
            RopeTheta: rope.Theta,
            RopeStyle: RopeStyle.HalfSplit,
            RopeScaling: rope.Scaling,
            QkvBias: modelType == "qwen2" || llamaBias,
            OutputBias: llamaBias,
            SlidingWindow: modelType == "mistral" ? values.OptionalInt("sliding_window") : null);
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
            if (config.QkvBias)
            {
                Map(hf + "self_attn.q_proj.bias", ours + "attention.wq.bias", d);
                Map(hf + "self_attn.k_proj.bias", ours + "attention.wk.bias", kv);
                Map(hf + "self_attn.v_proj.bias", ours + "attention.wv.bias", kv);
            }
            if (config.OutputBias) Map(hf + "self_attn.o_proj.bias", ours + "attention.wo.bias", d);
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
                $"{Path.GetDirectoryName(configPath)}: tensors a Llama-family model with this config.json does not have: {string.Join(", ", unexpected.Take(10))}{(unexpected.Count > 10 ? ", …" : "")}.");
        var model = new LlamaModel(config);
        model.LoadWeights(mapped, Path.GetDirectoryName(configPath)!);
        return model;
    }
}
