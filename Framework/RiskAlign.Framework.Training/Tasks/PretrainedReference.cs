using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Tokenizers;
using RiskAlign.Framework.Models.Loading;

namespace RiskAlign.Framework.Tasks;

/// <summary>A task's pretrained reference model and its tokenizer, loaded from the paths of its settings.</summary>
internal static class PretrainedReference
{
    /// <summary>
    /// Loads both (relative paths under the assets folder) and checks they fit together and hold
    /// <paramref name="sequenceLength"/> positions; every error names the task and the setting. The model comes back frozen.
    /// </summary>
    public static (CausalLanguageModel Model, ITextTokenizer Tokenizer) Load(string task, string modelPath, string tokenizerPath,
        string? assetsFolder, Device device, int sequenceLength, string lengthSetting)
    {
        var tokenizer = TokenizerLoader.Load(Resolve(task, tokenizerPath, "tokenizer", assetsFolder));
        var model = ModelLoader.Load(Resolve(task, modelPath, "model", assetsFolder), device);
        try
        {
            if (tokenizer.VocabularySize > model.VocabularySize)
                throw new ArgumentException($"Task '{task}': the tokenizer has {tokenizer.VocabularySize} tokens but the model only {model.VocabularySize}.");
            if (sequenceLength > model.MaxSequenceLength)
                throw new ArgumentException($"Task '{task}' setting '{lengthSetting}': sequences of {sequenceLength} tokens exceed the model's {model.MaxSequenceLength} positions.");
            return (model.Freeze(), tokenizer);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Tokens a fixed-length sampled response must not contain: the tokenizer's stop ids and BOS, and the
    /// &lt;unk&gt; (id 0) of llama2.c/SentencePiece vocabularies, whose BOS is 1.</summary>
    public static int[] BlockedInResponses(ITextTokenizer tokenizer)
    {
        var blocked = new SortedSet<int>(tokenizer.StopIds);
        if (tokenizer.BosId is { } bos) blocked.Add(bos);
        if (tokenizer.EosId is { } eos) blocked.Add(eos);
        if (tokenizer.BosId == 1) blocked.Add(0);
        return [.. blocked];
    }

    /// <summary>A path of a task's settings: relative ones under the assets folder; an error names the task and setting when it does not exist.</summary>
    public static string Resolve(string task, string path, string setting, string? assetsFolder)
    {
        var full = AssetLocator.Resolve(path, assetsFolder);
        return File.Exists(full) || Directory.Exists(full) ? full
            : throw new ArgumentException($"Task '{task}' setting '{setting}': '{full}' does not exist.");
    }
}
