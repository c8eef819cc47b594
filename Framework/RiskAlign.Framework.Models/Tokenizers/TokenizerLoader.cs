namespace RiskAlign.Framework.Tokenizers;

/// <summary>Opens a tokenizer, whatever its format.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// A llama2.c tokenizer.bin (e.g. tok512.bin), a SentencePiece tokenizer.model, or a GPT-2 style folder with
    /// vocab.json + merges.txt, or a Hugging Face byte-level BPE tokenizer.json (GPT-2, Pythia); a folder is searched in that order. Errors name the path and what was expected.
    /// </summary>
    public static ITextTokenizer Load(string path)
    {
        if (Directory.Exists(path))
        {
            string vocab = Path.Combine(path, "vocab.json"), merges = Path.Combine(path, "merges.txt"), model = Path.Combine(path, "tokenizer.model");
            if (File.Exists(vocab) && File.Exists(merges)) return Gpt2Tokenizer.Load(vocab, merges);
            if (File.Exists(model)) return SentencePieceTokenizer.Load(model);
            if (File.Exists(Path.Combine(path, "tokenizer.json"))) return Gpt2Tokenizer.LoadTokenizerJson(Path.Combine(path, "tokenizer.json"));
            throw new FileNotFoundException($"Tokenizer folder '{path}' has none of vocab.json + merges.txt, tokenizer.model, tokenizer.json.", path);
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer '{path}' not found: expected a llama2.c tokenizer .bin, tokenizer.model, or a folder with vocab.json + merges.txt.", path);
        string name = Path.GetFileName(path);
        if (name.EndsWith(".model", StringComparison.OrdinalIgnoreCase)) return SentencePieceTokenizer.Load(path);
        if (name.Equals("vocab.json", StringComparison.OrdinalIgnoreCase) || name.Equals("merges.txt", StringComparison.OrdinalIgnoreCase))
            return Load(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return Gpt2Tokenizer.LoadTokenizerJson(path);
        return Llama2cTokenizer.Load(path);
    }
}
