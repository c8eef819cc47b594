using System.Text.Json;
using System.Text.RegularExpressions;
using TorchSharp.Modules;
using RiskAlign.Framework.Models.Checkpoints;
using RiskAlign.Framework.Models.Lora;

namespace RiskAlign.Framework.Models.Loading;

/// <summary>
/// Reads a LoRA adapter saved alone in PEFT's layout (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>, as
/// <see cref="LoraAdapterWriter"/> or PEFT's <c>save_pretrained</c> write it) as a plain model: the base named by
/// <c>base_model_name_or_path</c> is loaded through <see cref="ModelLoader"/> and (α/r)·B·A is added to each adapted
/// weight by <see cref="LoraModel.MergeIntoBase"/>, the merge that saving merged folders uses.
/// <para>The base path: an absolute path is used as is (RiskAlign writes absolute paths); a relative one is looked up
/// under the adapter folder, then under the current directory. Hub names are not downloaded.</para>
/// <para>The adapter's tensors <c>base_model.model.{module}.lora_A.weight</c> <c>[r, in]</c> and <c>.lora_B.weight</c>
/// <c>[out, r]</c> name the layers it changes, by the Hugging Face module names <see cref="LoraAdapterWriter"/> gives
/// the base. PEFT features that change the maths and are not implemented (DoRA, rsLoRA, biases, modules_to_save, per-layer
/// ranks, initialisations that change the base such as PiSSA) are refused by name. An adapter whose base is itself an
/// adapter folder is refused (save such a policy merged).</para>
/// </summary>
public static partial class LoraAdapterReader
{
    /// <summary>The file that marks an adapter folder.</summary>
    public const string ConfigFile = "adapter_config.json";

    /// <summary>The adapter's weights.</summary>
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>Whether <paramref name="folder"/> is an adapter folder (adapter_config.json and no config.json of its own).</summary>
    public static bool IsAdapterFolder(string folder) =>
        File.Exists(Path.Combine(folder, ConfigFile)) && !File.Exists(Path.Combine(folder, "config.json"));

    /// <summary>The base model the adapter in <paramref name="folder"/> applies to, resolved by the rule above.</summary>
    /// <exception cref="FileNotFoundException">No base is named, or the path named exists nowhere tried (the message
    /// names every path tried).</exception>
    public static string BaseModelPath(string folder)
    {
        var configPath = Path.Combine(folder, ConfigFile);
        using var config = HuggingFaceWeights.ParseJson(configPath);
        return ResolveBase(folder, configPath, config.RootElement);
    }

    /// <summary>The base with the adapter in <paramref name="folder"/> merged into it, in eval mode on
    /// <paramref name="device"/> (CPU when null).</summary>
    public static CausalLanguageModel Load(string folder, Device? device = null)
    {
        var configPath = Path.Combine(folder, ConfigFile);
        using var config = HuggingFaceWeights.ParseJson(configPath);
        var root = config.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{configPath}: expected a JSON object.");
        RefuseUnsupported(configPath, root);
        int rank = root.TryGetProperty("r", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int rv) && rv >= 1
            ? rv : throw new InvalidDataException($"{configPath}: \"r\" must be an integer >= 1.");
        double alpha = root.TryGetProperty("lora_alpha", out var a) && a.ValueKind == JsonValueKind.Number && a.GetDouble() > 0
            ? a.GetDouble() : throw new InvalidDataException($"{configPath}: \"lora_alpha\" must be a number > 0.");
        var targets = TargetModules(configPath, root);
        var weightsPath = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"Adapter folder '{folder}' has no {WeightsFile} (PyTorch pickle adapter_model.bin is not read; convert it to safetensors).", weightsPath);
        string basePath = ResolveBase(folder, configPath, root);

        var baseModel = ModelLoader.Load(basePath, device);
        try
        {
            var stored = Safetensors.Load(weightsPath);
            try
            {
                var pairs = Pair(weightsPath, stored, baseModel, rank, targets, basePath);
                using var lora = LoraModel.Wrap(baseModel, new LoraSpec(rank, alpha, 0, pairs.Keys.ToArray()), seed: 0);
                if (lora.AdaptedLayers.Count != pairs.Count)
                    throw new InvalidOperationException($"{weightsPath}: {pairs.Count} adapted layers matched {lora.AdaptedLayers.Count} of the base.");
                using (no_grad())
                    for (int i = 0; i < lora.AdaptedLayers.Count; i++)
                    {
                        var (loraA, loraB) = pairs[lora.AdaptedLayers[i]];
                        lora.Adapters[i].A.copy_(loraA);
                        lora.Adapters[i].B.copy_(loraB);
                    }
                var merged = lora.MergeIntoBase();
                merged.eval();
                return merged;
            }
            finally
            {
                foreach (var t in stored.Values) t.Dispose();
            }
        }
        catch
        {
            baseModel.Dispose();
            throw;
        }
    }

    /// <summary>For each of our layer names the adapter changes: its A <c>[r, in]</c> and B <c>[out, r]</c> in our row
    /// order, after checking names and shapes against the base.</summary>
    private static Dictionary<string, (Tensor A, Tensor B)> Pair(string weightsPath, Dictionary<string, Tensor> stored,
        CausalLanguageModel baseModel, int rank, IReadOnlyList<string>? targets, string basePath)
    {
        // Our linear layers by the Hugging Face module name the writer gives them (the writer's mapping, inverted).
        var byModule = new Dictionary<string, (string Name, Linear Layer, int PermuteHeads)>(StringComparer.Ordinal);
        foreach (var (name, layer) in LoraModel.LinearLayers(baseModel))
        {
            var (module, permuteHeads) = LoraAdapterWriter.HuggingFaceModule(baseModel, name);
            byModule[module] = (name, layer, permuteHeads);
        }
        var parts = new Dictionary<string, (Tensor? A, Tensor? B)>(StringComparer.Ordinal);
        foreach (var (tensorName, value) in stored)
        {
            var m = AdapterTensor().Match(tensorName);
            if (!m.Success || !byModule.ContainsKey(m.Groups[1].Value))
                throw new InvalidDataException(
                    $"{weightsPath}: tensor '{tensorName}' matches no linear layer of the base model '{basePath}' ({baseModel.GetType().Name}); " +
                    $"expected base_model.model.{{module}}.lora_A.weight / .lora_B.weight with module one of: {string.Join(", ", byModule.Keys.Take(12))}{(byModule.Count > 12 ? ", …" : "")}.");
            string module = m.Groups[1].Value;
            if (targets is not null && !targets.Any(t => module == t || module.EndsWith("." + t, StringComparison.Ordinal)))
                throw new InvalidDataException(
                    $"{weightsPath}: tensor '{tensorName}' adapts '{module}', which the adapter's target_modules [{string.Join(", ", targets)}] do not name.");
            var (layerA, layerB) = parts.GetValueOrDefault(module);
            parts[module] = m.Groups[2].Value == "A" ? (value, layerB) : (layerA, value);
        }
        if (parts.Count == 0) throw new InvalidDataException($"{weightsPath}: no lora_A / lora_B tensors.");
        var pairs = new Dictionary<string, (Tensor A, Tensor B)>(StringComparer.Ordinal);
        foreach (var (module, (loraA, loraB)) in parts)
        {
            string prefix = $"base_model.model.{module}";
            if (loraA is null || loraB is null)
                throw new InvalidDataException($"{weightsPath}: '{prefix}' has {(loraA is null ? "lora_B" : "lora_A")} but no {(loraA is null ? "lora_A" : "lora_B")}.weight.");
            var (name, layer, permuteHeads) = byModule[module];
            long outFeatures = layer.weight!.shape[0], inFeatures = layer.weight!.shape[1];
            CheckShape(weightsPath, $"{prefix}.lora_A.weight", loraA, [rank, inFeatures], name, basePath);
            CheckShape(weightsPath, $"{prefix}.lora_B.weight", loraB, [outFeatures, rank], name, basePath);
            // The writer permuted a llama2.c model's q/k rows to the half-split order; undo it for such a base.
            var b = permuteHeads > 0
                ? loraB.view(permuteHeads, 2, loraB.shape[0] / permuteHeads / 2, -1).transpose(1, 2).reshape(loraB.shape)
                : loraB;
            pairs[name] = (loraA, b);
        }
        return pairs;
    }

    private static void CheckShape(string weightsPath, string tensorName, Tensor value, long[] expected, string layer, string basePath)
    {
        if (!value.shape.SequenceEqual(expected))
            throw new InvalidDataException(
                $"{weightsPath}: tensor '{tensorName}' has shape [{string.Join(", ", value.shape)}], but the base '{basePath}' layer '{layer}' " +
                $"with the adapter's r needs [{string.Join(", ", expected)}].");
    }

    /// <summary><c>target_modules</c> as a list of names, or null where it does not restrict (a regex string,
    /// <c>all-linear</c>, or absent).</summary>
    private static IReadOnlyList<string>? TargetModules(string configPath, JsonElement root)
    {
        if (!root.TryGetProperty("target_modules", out var targets) || targets.ValueKind is JsonValueKind.Null or JsonValueKind.String) return null;
        if (targets.ValueKind != JsonValueKind.Array || targets.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            throw new InvalidDataException($"{configPath}: \"target_modules\" must be a list of module names or a string.");
        return targets.EnumerateArray().Select(t => t.GetString()!).ToList();
    }

    /// <summary>Refuses, by key and value, the PEFT settings whose maths this reader does not implement.</summary>
    private static void RefuseUnsupported(string configPath, JsonElement root)
    {
        string? peftType = root.TryGetProperty("peft_type", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (peftType is not null && peftType != "LORA")
            throw new NotSupportedException($"{configPath}: \"peft_type\" is \"{peftType}\"; only LORA adapters are read.");
        foreach (var flag in new[] { "use_dora", "use_rslora", "lora_bias", "use_qalora" })
            if (root.TryGetProperty(flag, out var v) && v.ValueKind == JsonValueKind.True)
                throw new NotSupportedException($"{configPath}: \"{flag}\": true is not supported; supported: plain LoRA (W + (lora_alpha/r)·B·A).");
        if (root.TryGetProperty("bias", out var bias) && bias.ValueKind == JsonValueKind.String && bias.GetString() != "none")
            throw new NotSupportedException($"{configPath}: \"bias\": \"{bias.GetString()}\" is not supported; supported: \"none\".");
        // PiSSA / OLoRA / LoftQ / CorDA initialisations change the base weights too: the adapter alone does not apply to the base.
        if (root.TryGetProperty("init_lora_weights", out var init) && init.ValueKind == JsonValueKind.String
            && new[] { "pissa", "olora", "loftq", "corda" }.Any(prefix => init.GetString()!.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            throw new NotSupportedException($"{configPath}: \"init_lora_weights\": \"{init.GetString()}\" is not supported (that initialisation also changes the base weights); supported: true, false, \"gaussian\" and the other initialisations that leave the base as it is.");
        foreach (var key in new[] { "modules_to_save", "rank_pattern", "alpha_pattern", "layer_replication", "target_parameters", "trainable_token_indices", "loftq_config" })
            if (root.TryGetProperty(key, out var v) && !IsEmpty(v))
                throw new NotSupportedException($"{configPath}: \"{key}\": {v.GetRawText()} is not supported; supported: null or empty.");
    }

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        _ => false,
    };

    private static string ResolveBase(string folder, string configPath, JsonElement root)
    {
        string? named = root.TryGetProperty("base_model_name_or_path", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        if (string.IsNullOrWhiteSpace(named))
            throw new FileNotFoundException($"{configPath}: no \"base_model_name_or_path\", so the base model is unknown; set it to the base's folder or llama2.c .bin (absolute, or relative to the adapter folder).", configPath);
        var tried = Path.IsPathRooted(named)
            ? new[] { named }
            : new[] { Path.GetFullPath(Path.Combine(folder, named)), Path.GetFullPath(named) }.Distinct().ToArray();
        foreach (var path in tried)
            if (File.Exists(path) || Directory.Exists(path))
            {
                if (Directory.Exists(path) && IsAdapterFolder(path))
                    throw new NotSupportedException($"{configPath}: the base '{path}' is itself an adapter folder; stacked adapters are not supported.");
                return path;
            }
        throw new FileNotFoundException(
            $"{configPath}: base model \"{named}\" not found (tried {string.Join(", ", tried.Select(t => $"'{t}'"))}); expected a Hugging Face folder or llama2.c .bin, absolute or relative to the adapter folder (Hub names are not downloaded).",
            tried[0]);
    }

    [GeneratedRegex(@"^base_model\.model\.(.+)\.lora_(A|B)\.weight$")]
    private static partial Regex AdapterTensor();
}
