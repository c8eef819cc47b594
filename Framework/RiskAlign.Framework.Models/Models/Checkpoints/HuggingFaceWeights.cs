using System.Text.Json;

namespace RiskAlign.Framework.Models.Checkpoints;

/// <summary>The safetensors weights of a Hugging Face folder: model.safetensors, or the shards that
/// model.safetensors.index.json's <c>weight_map</c> lists.</summary>
public static class HuggingFaceWeights
{
    /// <summary>All tensors of the checkpoint in <paramref name="folder"/>, each with the file it came from.</summary>
    public static WeightSet Load(string folder)
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

    /// <summary>A JSON file of the checkpoint, or an error naming it.</summary>
    internal static JsonDocument ParseJson(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
    }
}
