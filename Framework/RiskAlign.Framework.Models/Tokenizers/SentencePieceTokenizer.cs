using Microsoft.ML.Tokenizers;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>A SentencePiece tokenizer.model (Llama's), through Microsoft.ML.Tokenizers' LlamaTokenizer.</summary>
public sealed class SentencePieceTokenizer : MicrosoftTokenizerAdapter
{
    // transformers' LlamaTokenizer: add_bos_token true, add_eos_token false, unless tokenizer_config.json says otherwise
    private SentencePieceTokenizer(LlamaTokenizer inner, string folder)
        : base(inner, inner.Vocabulary, folder, new SpecialTokens(inner.BeginningOfSentenceId, inner.EndOfSentenceId, AddBos: true, AddEos: false))
    {
    }

    /// <summary>Reads a SentencePiece model protobuf.</summary>
    public static SentencePieceTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model '{path}' not found.", path);
        using var stream = File.OpenRead(path);
        try { return new SentencePieceTokenizer(LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false), Path.GetDirectoryName(Path.GetFullPath(path))!); }
        catch (Exception e) { throw new InvalidDataException($"{path}: not a SentencePiece model ({e.Message})", e); }
    }
}
