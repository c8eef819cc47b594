using RiskAlign.Framework.Models.Loading;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>Opens a tokenizer, whatever its format.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// A llama2.c tokenizer.bin (e.g. tok512.bin), or a folder (or one of its files) with a SentencePiece tokenizer.model,
    /// a Hugging Face byte-level BPE tokenizer.json (GPT-2, Pythia, Llama 3, Qwen2) or GPT-2's vocab.json + merges.txt,
    /// searched in that order (Qwen2 folders carry both of the last two; its tokenizer.json has Qwen's own split regex);
    /// tokenizer_config.json beside them decides BOS/EOS. A LoRA adapter folder without tokenizer files falls back to its
    /// base model's folder (<see cref="LoraAdapterReader.BaseModelPath"/>). Errors name the path and what was expected.
    /// </summary>
    public static ITextTokenizer Load(string path)
    {
        if (Directory.Exists(path))
        {
            string vocab = Path.Combine(path, "vocab.json"), merges = Path.Combine(path, "merges.txt"), model = Path.Combine(path, "tokenizer.model");
            if (File.Exists(model)) return SentencePieceTokenizer.Load(model);
            if (File.Exists(Path.Combine(path, "tokenizer.json"))) return ByteLevelBpeTokenizer.Load(Path.Combine(path, "tokenizer.json"));
            if (File.Exists(vocab) && File.Exists(merges)) return ByteLevelBpeTokenizer.LoadVocabularyAndMerges(vocab, merges);
            if (LoraAdapterReader.IsAdapterFolder(path))
            {
                var baseModel = LoraAdapterReader.BaseModelPath(path);
                return Directory.Exists(baseModel) ? Load(baseModel)
                    : throw new FileNotFoundException($"Adapter folder '{path}' has no tokenizer files and its base '{baseModel}' is a file (a llama2.c checkpoint carries no tokenizer): name the tokenizer itself.", path);
            }
            throw new FileNotFoundException($"Tokenizer folder '{path}' has none of vocab.json + merges.txt, tokenizer.model, tokenizer.json.", path);
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer '{path}' not found: expected a llama2.c tokenizer .bin, tokenizer.model, or a folder with vocab.json + merges.txt.", path);
        string name = Path.GetFileName(path);
        if (name.EndsWith(".model", StringComparison.OrdinalIgnoreCase)) return SentencePieceTokenizer.Load(path);
        if (name.Equals("vocab.json", StringComparison.OrdinalIgnoreCase) || name.Equals("merges.txt", StringComparison.OrdinalIgnoreCase))
            return Load(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return ByteLevelBpeTokenizer.Load(path);
        return Llama2cTokenizer.Load(path);
    }
}
