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
    /// <summary>The GPT-NeoX shape described by a config.json.</summary>
    public static GptNeoXConfig ReadConfig(string configPath, JsonElement json)
    {
        var fields = new HuggingFaceConfigJson(configPath, json);

        string activation = fields.String("hidden_act", "gelu");
        if (activation != "gelu") throw new NotSupportedException($"{configPath}: hidden_act \"{activation}\" is not supported; GPT-NeoX/Pythia use \"gelu\".");
        if (json.TryGetProperty("rope_scaling", out var scaling) && scaling.ValueKind != JsonValueKind.Null)
            throw new NotSupportedException($"{configPath}: \"rope_scaling\" ({scaling.GetRawText()}) is not supported.");
        if (fields.Bool("tie_word_embeddings", false)) throw new NotSupportedException($"{configPath}: tie_word_embeddings = true is not supported for GPT-NeoX.");
        if (!fields.Bool("attention_bias", true)) throw new NotSupportedException($"{configPath}: attention_bias = false is not supported.");
        var config = new GptNeoXConfig(
            Dim: fields.Int("hidden_size"),
            Layers: fields.Int("num_hidden_layers"),
            Heads: fields.Int("num_attention_heads"),
            InnerDim: fields.Int("intermediate_size"),
            VocabularySize: fields.Int("vocab_size"),
            MaxSequenceLength: fields.Int("max_position_embeddings", 2048),
            RotaryPct: fields.Double("rotary_pct", 0.25),
            RotaryBase: fields.Double("rotary_emb_base", 10000.0),
            ParallelResidual: fields.Bool("use_parallel_residual", true),
            NormEps: fields.Double("layer_norm_eps", 1e-5));
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
