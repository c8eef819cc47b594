using System.Text.Json;
using RiskAlign.Framework.Models.GptNeoX;
using RiskAlign.Framework.Models.Checkpoints;

namespace RiskAlign.Framework.Models.GptNeoX;

/// <summary>
/// Hugging Face GPT-NeoX / Pythia checkpoints (<c>GPTNeoXForCausalLM</c>): <c>gpt_neox.*</c> tensors map to
/// <see cref="GptNeoXModel"/>'s names without the prefix; <c>embed_out.weight</c> is the untied classifier.
/// </summary>
public static class HuggingFaceGptNeoX
{
    /// <summary>model_type "gpt_neox": key → field, default, supported values.</summary>
    public static ConfigTable Table { get; } = new("GPT-NeoX", [
        new("hidden_size", "Dim", null, "> 0"),
        new("num_hidden_layers", "Layers", null, "> 0"),
        new("num_attention_heads", "Heads", null, "divides hidden_size"),
        new("intermediate_size", "InnerDim", null, "> 0"),
        new("vocab_size", "VocabularySize", null, "> 0"),
        new("max_position_embeddings", "MaxSequenceLength", 2048, "> 0"),
        new("rotary_pct", "RotaryPct (before transformers 5)", 0.25, "0 to 1, even rotary dims (also rope_parameters.partial_rotary_factor)"),
        new("rotary_emb_base", "RotaryBase (before transformers 5)", 10000.0, "> 0 (also rope_parameters.rope_theta)"),
        new("rope_parameters", "RotaryBase, RotaryPct, RopeScaling (transformers 5)", ConfigDefault.Absent, "rope_type default or linear (factor)"),
        new("rope_scaling", "RopeScaling (before transformers 5)", ConfigDefault.Absent, "absent, or rope_type linear (factor)"),
        new("use_parallel_residual", "ParallelResidual", true, "true or false"),
        new("layer_norm_eps", "NormEps", 1e-5, "> 0"),
        new("hidden_act", "MLP activation", "gelu", "\"gelu\" (exact erf)", ConfigKey.OneOf("gelu")),
        new("tie_word_embeddings", "—", false, "false (embed_out is stored)", ConfigKey.Only(false)),
        new("attention_bias", "—", true, "true", ConfigKey.Only(true)),
    ]);

    /// <summary>The GPT-NeoX shape described by a config.json.</summary>
    public static GptNeoXConfig ReadConfig(string configPath, JsonElement json)
    {
        var values = Table.Read(configPath, json);
        var rope = HuggingFaceRope.Read(values, "rotary_emb_base", "rotary_pct", [RopeType.Default, RopeType.Linear]);
        var config = new GptNeoXConfig(
            Dim: values.Int("hidden_size"),
            Layers: values.Int("num_hidden_layers"),
            Heads: values.Int("num_attention_heads"),
            InnerDim: values.Int("intermediate_size"),
            VocabularySize: values.Int("vocab_size"),
            MaxSequenceLength: values.Int("max_position_embeddings"),
            RotaryPct: rope.PartialRotaryFactor,
            RotaryBase: rope.Theta,
            ParallelResidual: values.Bool("use_parallel_residual"),
            NormEps: values.Double("layer_norm_eps"),
            RopeScaling: rope.Scaling);
        try { config.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{configPath}: {e.Message}", e); }
        return config;
    }

    internal static GptNeoXModel Load(string configPath, JsonElement json, WeightSet weights)
    {
        using var _ = weights;
        var config = ReadConfig(configPath, json);
        long d = config.Dim, inner = config.InnerDim, v = config.VocabularySize;
        var mapped = new Dictionary<string, TorchSharp.torch.Tensor>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        void Map(string hfName, string ourName, params long[] shape)
        {
            mapped[ourName] = weights.Require(hfName, shape);
            used.Add(hfName);
        }
        void MapBoth(string name, long[] weightShape, long biasShape)
        {
            Map($"gpt_neox.{name}.weight", $"{name}.weight", weightShape);
            Map($"gpt_neox.{name}.bias", $"{name}.bias", biasShape);
        }
        Map("gpt_neox.embed_in.weight", "embed_in.weight", v, d);
        for (int i = 0; i < config.Layers; i++)
        {
            string l = $"layers.{i}.";
            MapBoth(l + "input_layernorm", [d], d);
            MapBoth(l + "post_attention_layernorm", [d], d);
            MapBoth(l + "attention.query_key_value", [3 * d, d], 3 * d);
            MapBoth(l + "attention.dense", [d, d], d);
            MapBoth(l + "mlp.dense_h_to_4h", [inner, d], inner);
            MapBoth(l + "mlp.dense_4h_to_h", [d, inner], d);
        }
        MapBoth("final_layer_norm", [d], d);
        Map("embed_out.weight", "embed_out.weight", v, d);
        // attention.bias / masked_bias / rotary_emb.inv_freq are buffers some checkpoints carry, not weights
        var unexpected = weights.Tensors.Keys.Where(k => !used.Contains(k)
            && !k.EndsWith(".attention.bias", StringComparison.Ordinal) && !k.EndsWith(".attention.masked_bias", StringComparison.Ordinal)
            && !k.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal)).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException(
                $"{Path.GetDirectoryName(configPath)}: tensors a GPT-NeoX with this config.json does not have: {string.Join(", ", unexpected.Take(10))}{(unexpected.Count > 10 ? ", …" : "")}.");
        var model = new GptNeoXModel(config);
        model.LoadWeights(mapped, Path.GetDirectoryName(configPath)!);
        return model;
    }
}
