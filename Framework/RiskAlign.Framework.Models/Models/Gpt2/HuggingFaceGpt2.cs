using System.Text.Json;
using RiskAlign.Framework.Models.Gpt2;
using RiskAlign.Framework.Models.Checkpoints;

namespace RiskAlign.Framework.Models.Gpt2;

/// <summary>
/// Hugging Face GPT-2 checkpoints (<c>GPT2LMHeadModel</c> or <c>GPT2Model</c>; tensor names with or without the
/// <c>transformer.</c> prefix). HF stores the attention and MLP projections as Conv1D weights <c>[in, out]</c>; they are
/// transposed into <see cref="Gpt2Model"/>'s <c>[out, in]</c> linear layers. The classifier is tied to <c>wte</c>.
/// </summary>
public static class HuggingFaceGpt2
{
    /// <summary>model_type "gpt2": key → field, default, supported values.</summary>
    public static ConfigTable Table { get; } = new("GPT-2", [
        new("n_embd", "Dim", null, "divides by n_head"),
        new("n_layer", "Layers", null, "> 0"),
        new("n_head", "Heads", null, "> 0"),
        new("vocab_size", "VocabularySize", null, "> 0"),
        new("n_positions", "MaxSequenceLength", 1024, "> 0"),
        new("n_inner", "InnerDim", "= 4 · n_embd", "> 0 or null"),
        new("layer_norm_epsilon", "NormEps", 1e-5, "> 0"),
        new("activation_function", "MLP activation", "gelu_new", "\"gelu_new\" (tanh approximation)", ConfigKey.OneOf("gelu_new")),
        new("scale_attn_weights", "—", true, "true", ConfigKey.Only(true)),
        new("scale_attn_by_inverse_layer_idx", "—", false, "false", ConfigKey.Only(false)),
        new("reorder_and_upcast_attn", "—", false, "false", ConfigKey.Only(false)),
        new("add_cross_attention", "—", false, "false", ConfigKey.Only(false)),
        new("tie_word_embeddings", "—", true, "true (lm_head = wte)", ConfigKey.Only(true)),
    ]);

    /// <summary>The GPT-2 shape described by a config.json.</summary>
    public static Gpt2Config ReadConfig(string configPath, JsonElement json)
    {
        var values = Table.Read(configPath, json);
        int dim = values.Int("n_embd");
        var config = new Gpt2Config(
            Dim: dim,
            Layers: values.Int("n_layer"),
            Heads: values.Int("n_head"),
            VocabularySize: values.Int("vocab_size"),
            MaxSequenceLength: values.Int("n_positions"),
            InnerDim: values.Int("n_inner", 4 * dim),
            NormEps: values.Double("layer_norm_epsilon"));
        try { config.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{configPath}: {e.Message}", e); }
        return config;
    }

    internal static Gpt2Model Load(string configPath, JsonElement json, WeightSet weights)
    {
        using var _ = weights;
        using var scope = NewDisposeScope();
        var config = ReadConfig(configPath, json);
        string prefix = weights.Tensors.ContainsKey("transformer.wte.weight") ? "transformer." : "";
        long d = config.Dim, inner = config.InnerDim;
        var mapped = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        void Map(string hfName, string ourName, params long[] shape)
        {
            mapped[ourName] = weights.Require(prefix + hfName, shape);
            used.Add(prefix + hfName);
        }
        void MapConv1D(string hfName, string ourName, long inDim, long outDim)
        {
            mapped[ourName + ".weight"] = weights.Require(prefix + hfName + ".weight", inDim, outDim).t(); // [in, out] → [out, in]
            mapped[ourName + ".bias"] = weights.Require(prefix + hfName + ".bias", outDim);
            used.Add(prefix + hfName + ".weight");
            used.Add(prefix + hfName + ".bias");
        }
        Map("wte.weight", "wte.weight", config.VocabularySize, d);
        Map("wpe.weight", "wpe.weight", config.MaxSequenceLength, d);
        for (int i = 0; i < config.Layers; i++)
        {
            string hf = $"h.{i}.", ours = $"h.{i}.";
            Map(hf + "ln_1.weight", ours + "ln_1.weight", d);
            Map(hf + "ln_1.bias", ours + "ln_1.bias", d);
            MapConv1D(hf + "attn.c_attn", ours + "c_attn", d, 3 * d);
            MapConv1D(hf + "attn.c_proj", ours + "c_proj", d, d);
            Map(hf + "ln_2.weight", ours + "ln_2.weight", d);
            Map(hf + "ln_2.bias", ours + "ln_2.bias", d);
            MapConv1D(hf + "mlp.c_fc", ours + "c_fc", d, inner);
            MapConv1D(hf + "mlp.c_proj", ours + "mlp_proj", inner, d);
        }
        Map("ln_f.weight", "ln_f.weight", d);
        Map("ln_f.bias", "ln_f.bias", d);
        used.Add("lm_head.weight"); // tied to wte; some checkpoints store it again
        // attn.bias / attn.masked_bias are HF's causal-mask buffers in older checkpoints, not weights
        var unexpected = weights.Tensors.Keys
            .Where(k => !used.Contains(k) && !k.EndsWith(".attn.bias", StringComparison.Ordinal) && !k.EndsWith(".attn.masked_bias", StringComparison.Ordinal))
            .ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException(
                $"{Path.GetDirectoryName(configPath)}: tensors a GPT-2 with this config.json does not have: {string.Join(", ", unexpected.Take(10))}{(unexpected.Count > 10 ? ", …" : "")}.");
        var model = new Gpt2Model(config);
        model.LoadWeights(mapped, Path.GetDirectoryName(configPath)!);
        return model;
    }
}
