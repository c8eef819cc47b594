using System.Text.Json;
using RiskAlign.Framework.Models.Checkpoints;
using RiskAlign.Framework.Models.Gpt2;
using RiskAlign.Framework.Models.GptNeoX;
using RiskAlign.Framework.Models.Llama;

namespace RiskAlign.Framework.Models.Loading;

/// <summary>
/// Hugging Face checkpoint folders: config.json (its <c>model_type</c> picks the architecture) and the weights in
/// model.safetensors, or in shards listed by model.safetensors.index.json's <c>weight_map</c>.
/// </summary>
public static class HuggingFaceCheckpoint
{
    /// <summary>Architectures (config.json <c>model_type</c>) this loader reads.</summary>
    public static IReadOnlyList<string> SupportedModelTypes { get; } = ["llama", "qwen2", "mistral", "gpt2", "gpt_neox"];

    /// <summary>The model in <paramref name="folder"/>, in eval mode, on <paramref name="device"/> (CPU when null).</summary>
    public static CausalLanguageModel Load(string folder, Device? device = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Hugging Face checkpoint folder '{folder}' not found.");
        var configPath = Path.Combine(folder, "config.json");
        if (!File.Exists(configPath)) throw new FileNotFoundException($"Hugging Face checkpoint folder '{folder}' has no config.json.", configPath);
        using var config = HuggingFaceWeights.ParseJson(configPath);
        string modelType = config.RootElement.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()! : throw new InvalidDataException($"{configPath}: no \"model_type\" field, so the architecture is unknown.");
        CausalLanguageModel model = modelType switch
        {
            "llama" or "qwen2" or "mistral" => HuggingFaceLlama.Load(configPath, config.RootElement, HuggingFaceWeights.Load(folder)),
            "gpt2" => HuggingFaceGpt2.Load(configPath, config.RootElement, HuggingFaceWeights.Load(folder)),
            "gpt_neox" => HuggingFaceGptNeoX.Load(configPath, config.RootElement, HuggingFaceWeights.Load(folder)),
            _ => throw new NotSupportedException(
                $"{configPath}: architecture \"{modelType}\" is not supported; supported model_type values: {string.Join(", ", SupportedModelTypes)}."),
        };
        model.eval();
        if (device is not null && device.type != DeviceType.CPU) model.to(device);
        return model;
    }
}
