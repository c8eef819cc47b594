using RiskAlign.Framework.Models.Llama;

namespace RiskAlign.Framework.Models.Loading;

/// <summary>Opens a checkpoint as a <see cref="CausalLanguageModel"/>, whatever its format.</summary>
public static class ModelLoader
{
    /// <summary>
    /// A llama2.c legacy checkpoint (a file, e.g. stories260K.bin), a Hugging Face folder (config.json and *.safetensors,
    /// sharded through model.safetensors.index.json), or a PEFT LoRA adapter folder (adapter_config.json +
    /// adapter_model.safetensors), read as its base with the adapter merged (<see cref="LoraAdapterReader"/>). The model
    /// is in eval mode on <paramref name="device"/> (CPU when null). Errors name the file and what was expected.
    /// </summary>
    public static CausalLanguageModel Load(string path, Device? device = null)
    {
        if (Directory.Exists(path)) return LoadFolder(path, device);
        if (!File.Exists(path)) throw new FileNotFoundException($"Model '{path}' not found: expected a llama2.c .bin file, a Hugging Face folder with config.json or a LoRA adapter folder with adapter_config.json.", path);
        string name = Path.GetFileName(path);
        if (name.Equals("config.json", StringComparison.OrdinalIgnoreCase) || name.Equals(LoraAdapterReader.ConfigFile, StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return LoadFolder(Path.GetDirectoryName(Path.GetFullPath(path))!, device);
        return Llama2cCheckpoint.Load(path, device);
    }

    private static CausalLanguageModel LoadFolder(string folder, Device? device) =>
        LoraAdapterReader.IsAdapterFolder(folder) ? LoraAdapterReader.Load(folder, device) : HuggingFaceCheckpoint.Load(folder, device);
}
