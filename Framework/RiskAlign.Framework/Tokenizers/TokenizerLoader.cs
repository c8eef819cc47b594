namespace RiskAlign.Framework.Tokenizers;

/// <summary>Opens a tokenizer, whatever its format.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// A llama2.c tokenizer.bin (e.g. tok512.bin), a SentencePiece tokenizer.model, or a GPT-2 style folder with
    /// vocab.json + merges.txt (a folder holding tokenizer.model is read as SentencePiece). Errors name the path and what was expected.
    /// </summary>
    public static ITextTokenizer Load(string path)
    {
        if (Directory.Exists(path))
        {
            string vocab = Path.Combine(path, "vocab.json"), merges = Path.Combine(path, "merges.txt"), model = Path.Combine(path, "tokenizer.model");
            if (File.Exists(vocab) && File.Exists(merges)) return Gpt2Tokenizer.Load(vocab, merges);
            if (File.Exists(model)) return SentencePieceTokenizer.Load(model);
            if (File.Exists(Path.Combine(path, "tokenizer.json")))
                throw new NotSupportedException($"{path}: tokenizer.json alone is not supported; supply vocab.json + merges.txt or tokenizer.model.");
            throw new FileNotFoundException($"Tokenizer folder '{path}' has neither vocab.json + merges.txt nor tokenizer.model.", path);
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer '{path}' not found: expected a llama2.c tokenizer .bin, tokenizer.model, or a folder with vocab.json + merges.txt.", path);
        string name = Path.GetFileName(path);
        if (name.EndsWith(".model", StringComparison.OrdinalIgnoreCase)) return SentencePieceTokenizer.Load(path);
        if (name.Equals("vocab.json", StringComparison.OrdinalIgnoreCase) || name.Equals("merges.txt", StringComparison.OrdinalIgnoreCase))
            return Load(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (name.Equals("tokenizer.json", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"{path}: tokenizer.json is not supported; supply vocab.json + merges.txt or tokenizer.model.");
        return Llama2cTokenizer.Load(path);
    }
}
