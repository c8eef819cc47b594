using static TorchSharp.torch;

namespace RiskAlign.Framework.Models.Loading;

/// <summary>Hugging Face checkpoint folders (config.json + safetensors).</summary>
public static class HuggingFaceCheckpoint
{
    /// <summary>The model in <paramref name="folder"/>.</summary>
    public static CausalLanguageModel Load(string folder, Device? device = null)
    {
        var config = Path.Combine(folder, "config.json");
        if (!File.Exists(config)) throw new FileNotFoundException($"Hugging Face checkpoint folder '{folder}' has no config.json.", config);
        throw new NotSupportedException($"{config}: loading Hugging Face checkpoints is not implemented yet (only llama2.c .bin checkpoints are).");
    }
}
