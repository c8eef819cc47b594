using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Models.Loading;

namespace RiskAlign.Framework.Tasks;

/// <summary>A task's built reference written as a Hugging Face folder (the <c>save_reference</c> setting), so that later
/// runs name it as <c>model</c>.</summary>
internal static class ReferenceFolder
{
    /// <summary>Writes <paramref name="model"/> to <paramref name="folder"/> (relative paths under the assets folder) with
    /// the Hugging Face tokenizer files that lie beside <paramref name="tokenizerPath"/> (or in it, when it is a folder).</summary>
    public static void Save(string task, CausalLanguageModel model, string folder, string tokenizerPath, string? assetsFolder)
    {
        var tokenizer = PretrainedReference.Resolve(task, tokenizerPath, "tokenizer", assetsFolder);
        HuggingFaceCheckpointWriter.Save(model, AssetLocator.Resolve(folder, assetsFolder),
            Directory.Exists(tokenizer) ? tokenizer : Path.GetDirectoryName(tokenizer)!);
    }
}
