using System.Text.Json;
using System.Text.RegularExpressions;
using RiskAlign.Framework.Models.Checkpoints;
using RiskAlign.Framework.Models.Gpt2;
using RiskAlign.Framework.Models.GptNeoX;
using RiskAlign.Framework.Models.Llama;

namespace RiskAlign.Framework.Models.Lora;

/// <summary>
/// Writes a LoRA model's adapters alone in PEFT's layout: <c>adapter_config.json</c> (<c>peft_type</c> LORA, r,
/// <c>lora_alpha</c>, <c>lora_dropout</c>, <c>target_modules</c> by their Hugging Face names) and
/// <c>adapter_model.safetensors</c> with <c>base_model.model.{Hugging Face module}.lora_A.weight</c> <c>[r, in]</c> and
/// <c>.lora_B.weight</c> <c>[out, r]</c> (F32). The module names and row order are those
/// <see cref="Loading.HuggingFaceCheckpointWriter"/> gives the base, so the adapter applies to the base saved by it
/// (for a llama2.c model, B's q/k rows are permuted as the base's weights are; GPT-2's are marked
/// <c>fan_in_fan_out</c>, its projections being Conv1D).
/// </summary>
public static partial class LoraAdapterWriter
{
    /// <summary>Writes <paramref name="model"/>'s adapters to <paramref name="folder"/> (created; files replaced).</summary>
    /// <param name="model">The LoRA model.</param>
    /// <param name="folder">Destination.</param>
    /// <param name="baseModelPath">Recorded as <c>base_model_name_or_path</c> (made absolute, so
    /// <see cref="Loading.LoraAdapterReader"/> finds the base wherever the folder is read from), or null.</param>
    /// <exception cref="NotSupportedException">The base has no Hugging Face form (the synthetic tasks' tiny model).</exception>
    public static void Save(LoraModel model, string folder, string? baseModelPath = null)
    {
        var baseModel = model.BaseModel;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var leaves = new SortedSet<string>(StringComparer.Ordinal);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        for (int i = 0; i < model.AdaptedLayers.Count; i++)
        {
            var (hfName, permuteHeads) = HuggingFaceModule(baseModel, model.AdaptedLayers[i]);
            var adapter = model.Adapters[i];
            var b = adapter.B.detach().cpu();
            if (permuteHeads > 0) b = b.view(permuteHeads, b.shape[0] / permuteHeads / 2, 2, -1).transpose(1, 2).reshape(b.shape);
            tensors[$"base_model.model.{hfName}.lora_A.weight"] = adapter.A.detach().cpu().contiguous();
            tensors[$"base_model.model.{hfName}.lora_B.weight"] = b.contiguous();
            leaves.Add(hfName[(hfName.LastIndexOf('.') + 1)..]);
        }
        Directory.CreateDirectory(folder);
        var config = new Dictionary<string, object?>
        {
            ["peft_type"] = "LORA", ["task_type"] = "CAUSAL_LM", ["base_model_name_or_path"] = baseModelPath is null ? null : Path.GetFullPath(baseModelPath), ["r"] = model.Spec.Rank,
            ["lora_alpha"] = model.Spec.Alpha, ["lora_dropout"] = model.Spec.Dropout, ["target_modules"] = leaves.ToArray(), ["bias"] = "none",
            ["fan_in_fan_out"] = baseModel is Gpt2Model, ["inference_mode"] = true,
        };
        File.WriteAllText(Path.Combine(folder, "adapter_config.json"), JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true }));
        Safetensors.Save(Path.Combine(folder, "adapter_model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>The Hugging Face name of one of our linear layers, and the head count whose rows must be permuted
    /// (llama2.c's interleaved q/k rows to the half-split order), 0 for none. <see cref="Loading.LoraAdapterReader"/> inverts it.</summary>
    internal static (string Name, int PermuteHeads) HuggingFaceModule(CausalLanguageModel model, string name)
    {
        switch (model)
        {
            case LlamaModel llama:
            {
                if (name == "output") return ("lm_head", 0);
                var m = LlamaLayer().Match(name);
                if (!m.Success) break;
                string prefix = $"model.layers.{m.Groups[1].Value}.";
                bool interleaved = llama.Config.RopeStyle == RopeStyle.Interleaved;
                return m.Groups[2].Value switch
                {
                    "attention.wq" => (prefix + "self_attn.q_proj", interleaved ? llama.Config.Heads : 0),
                    "attention.wk" => (prefix + "self_attn.k_proj", interleaved ? llama.Config.KvHeads : 0),
                    "attention.wv" => (prefix + "self_attn.v_proj", 0),
                    "attention.wo" => (prefix + "self_attn.o_proj", 0),
                    "feed_forward.w1" => (prefix + "mlp.gate_proj", 0),
                    "feed_forward.w2" => (prefix + "mlp.down_proj", 0),
                    "feed_forward.w3" => (prefix + "mlp.up_proj", 0),
                    _ => throw new NotSupportedException($"No Hugging Face name for Llama layer '{name}'."),
                };
            }
            case Gpt2Model:
                return ("transformer." + name.Replace(".c_attn", ".attn.c_attn").Replace(".c_proj", ".attn.c_proj")
                    .Replace(".c_fc", ".mlp.c_fc").Replace(".mlp_proj", ".mlp.c_proj"), 0);
            case GptNeoXModel:
                return (name == "embed_out" ? name : "gpt_neox." + name, 0);
        }
        throw new NotSupportedException($"Saving the adapters of a {model.GetType().Name} in PEFT's layout is not supported; supported: Llama (llama, qwen2, mistral), GPT-2, GPT-NeoX.");
    }

    [GeneratedRegex(@"^layers\.(\d+)\.(.+)$")]
    private static partial Regex LlamaLayer();
}
