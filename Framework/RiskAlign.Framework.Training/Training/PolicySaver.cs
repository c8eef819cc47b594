using RiskAlign.Framework.Models.Loading;
using RiskAlign.Framework.Models.Lora;

namespace RiskAlign.Framework.Training;

/// <summary>
/// Writes a trained policy as a Hugging Face folder (<see cref="TrainingSettings.Save"/>): config.json,
/// model.safetensors and the tokenizer files, through <see cref="HuggingFaceCheckpointWriter"/>. A LoRA policy is
/// merged first (PEFT's <c>merge_and_unload</c>), or written as its adapter alone in PEFT's layout on request.
/// </summary>
public static class PolicySaver
{
    /// <summary>The folder a trial's policy goes to: <c>{save folder}/{trial id}</c>, the save folder being
    /// <see cref="TrainingSettings.SaveFolder"/> or <c>runs/{sweep id}/models</c>.</summary>
    public static string FolderFor(TrialDefinition trial) =>
        Path.GetFullPath(Path.Combine(trial.Training.SaveFolder ?? Path.Combine("runs", trial.SweepId, "models"), trial.Id));

    /// <summary>Writes <paramref name="policy"/> to <paramref name="folder"/>, replacing what is there.</summary>
    /// <param name="policy">The trained policy (a plain model or a <see cref="LoraModel"/>).</param>
    /// <param name="folder">Destination.</param>
    /// <param name="tokenizerPath">The task's tokenizer: a folder (its Hugging Face tokenizer files are copied) or a file
    /// (a llama2.c tokenizer.bin, copied as is: RiskAlign reads it, transformers has no reader for it); null = none.</param>
    /// <param name="form">For a LoRA policy: merged weights or the adapter alone.</param>
    /// <param name="baseModelPath">Recorded in an adapter's config as its base, or null.</param>
    public static void Save(CausalLanguageModel policy, string folder, string? tokenizerPath, LoraSaveForm form = LoraSaveForm.Merged,
        string? baseModelPath = null)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        string? tokenizerFolder = tokenizerPath is not null && Directory.Exists(tokenizerPath) ? tokenizerPath : null;
        if (policy is LoraModel lora && form == LoraSaveForm.Adapter)
        {
            LoraAdapterWriter.Save(lora, folder, baseModelPath);
            if (tokenizerFolder is not null)
                foreach (var name in HuggingFaceCheckpointWriter.TokenizerFiles)
                    if (File.Exists(Path.Combine(tokenizerFolder, name)))
                        File.Copy(Path.Combine(tokenizerFolder, name), Path.Combine(folder, name), overwrite: true);
        }
        else if (policy is LoraModel merging)
        {
            using var merged = merging.Merge();
            HuggingFaceCheckpointWriter.Save(merged, folder, tokenizerFolder);
        }
        else
        {
            HuggingFaceCheckpointWriter.Save(policy, folder, tokenizerFolder);
        }
        if (tokenizerPath is not null && File.Exists(tokenizerPath))
            File.Copy(tokenizerPath, Path.Combine(folder, Path.GetFileName(tokenizerPath)), overwrite: true);
    }
}
