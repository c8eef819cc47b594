using RiskAlign.Framework.Models.Llama;

namespace RiskAlign.Framework.Models.Loading;

/// <summary>Opens a checkpoint as a <see cref="CausalLanguageModel"/>, whatever its format.</summary>
public static class ModelLoader
{
    /// <summary>
    /// A llama2.c legacy checkpoint (a file, e.g. stories260K.bin) or a Hugging Face folder (config.json and *.safetensors,
    /// sharded through model.safetensors.index.json). The model is in eval mode on <paramref name="device"/> (CPU when null). Errors name the file and what was expected.
    /// </summary>
    public static CausalLanguageModel Load(string path, Device? device = null)
    {
        if (Directory.Exists(path)) return HuggingFaceCheckpoint.Load(path, device);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model '{path}' not found: expected a llama2.c .bin file or a Hugging Face folder with config.json.", path);
        if (Path.GetFileName(path).Equals("config.json", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return HuggingFaceCheckpoint.Load(Path.GetDirectoryName(Path.GetFullPath(path))!, device);
        return Llama2cCheckpoint.Load(path, device);
    }
}
