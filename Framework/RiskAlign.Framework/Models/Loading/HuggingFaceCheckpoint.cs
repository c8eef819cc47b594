using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace RiskAlign.Framework.Models.Loading;

/// <summary>
/// Hugging Face checkpoint folders: config.json (its <c>model_type</c> picks the architecture) and the weights in
/// model.safetensors, or in shards listed by model.safetensors.index.json's <c>weight_map</c>.
/// </summary>
public static class HuggingFaceCheckpoint
{
    /// <summary>Architectures (config.json <c>model_type</c>) this loader reads.</summary>
    public static IReadOnlyList<string> SupportedModelTypes { get; } = ["llama", "gpt2", "gpt_neox"];

    /// <summary>The model in <paramref name="folder"/>, in eval mode, on <paramref name="device"/> (CPU when null).</summary>
    public static CausalLanguageModel Load(string folder, Device? device = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Hugging Face checkpoint folder '{folder}' not found.");
        var configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath)) throw new FileNotFoundException($"Hugging Face checkpoint folder '{folder}' has no config.json.", configPath);
        using var config = ParseJson(configPath);
        string modelType = config.RootElement.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()! : throw new InvalidDataException($"{configPath}: no \"model_type\" field, so the architecture is unknown.");
        CausalLanguageModel model = modelType switch
        {
            "llama" => HuggingFaceLlama.Load(configPath, config.RootElement, LoadWeights(folder)),
            "gpt2" => HuggingFaceGpt2.Load(configPath, config.RootElement, LoadWeights(folder)),
            "gpt_neox" => HuggingFaceGptNeoX.Load(configPath, config.RootElement, LoadWeights(folder)),
            _ => throw new NotSupportedException(
                $"{configPath}: architecture \"{modelType}\" is not supported; supported model_type values: {string.Join(", ", SupportedModelTypes)}."),
        };
        model.eval();
        if (device is not null && device.type != DeviceType.CPU) model.to(device);
        return model;
    }

    /// <summary>All tensors of the checkpoint in <paramref name="folder"/>, each with the file it came from.</summary>
    internal static WeightSet LoadWeights(string folder)
    {
        var index = Path.Combine(folder, "model.safetensors.index.json");
        var single = Path.Combine(folder, "model.safetensors");
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        IEnumerable<string> shards;
        if (File.Exists(index))
        {
            using var json = ParseJson(index);
            if (!json.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{index}: no \"weight_map\" object.");
            shards = map.EnumerateObject().Select(p => p.Value.GetString() ?? "").Distinct().ToList();
            foreach (var shard in shards)
                if (!File.Exists(Path.Combine(folder, shard)))
                    throw new FileNotFoundException($"{index} lists shard '{shard}', which is not in '{folder}'.", Path.Combine(folder, shard));
        }
        else if (File.Exists(single)) shards = ["model.safetensors"];
        else
        {
            var any = Directory.GetFiles(folder, "*.safetensors").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            if (any.Count == 0)
                throw new FileNotFoundException(
                    $"Hugging Face checkpoint folder '{folder}' has no model.safetensors, model.safetensors.index.json or other *.safetensors file (PyTorch pickle .bin weights are not read; convert them to safetensors).", single);
            shards = any;
        }
        foreach (var shard in shards)
        {
            var path = Path.Combine(folder, shard);
            foreach (var (name, value) in Safetensors.Load(path))
            {
                if (files.TryGetValue(name, out var other))
                    throw new InvalidDataException($"Tensor '{name}' is stored twice: in '{other}' and in '{path}'.");
                tensors[name] = value;
                files[name] = path;
            }
        }
        return new WeightSet(folder, tensors, files);
    }

    private static JsonDocument ParseJson(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
    }

    /// <summary>Tensors by checkpoint name, with the file each came from, for messages.</summary>
    internal sealed class WeightSet(string folder, Dictionary<string, Tensor> tensors, Dictionary<string, string> files) : IDisposable
    {
        public IReadOnlyDictionary<string, Tensor> Tensors => tensors;

        /// <summary>The tensor <paramref name="name"/> with shape <paramref name="shape"/>, or an error naming the tensor and shapes.</summary>
        public Tensor Require(string name, params long[] shape)
        {
            if (!tensors.TryGetValue(name, out var value))
                throw new InvalidDataException($"Checkpoint '{folder}' is missing tensor '{name}' (expected shape [{string.Join(", ", shape)}]).");
            if (!value.shape.SequenceEqual(shape))
                throw new InvalidDataException(
                    $"{files[name]}: tensor '{name}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", shape)}].");
            return value;
        }

        public void Dispose()
        {
            foreach (var value in tensors.Values) value.Dispose();
        }
    }
}
