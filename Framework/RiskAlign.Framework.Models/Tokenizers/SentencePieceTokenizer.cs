using Microsoft.ML.Tokenizers;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>A SentencePiece tokenizer.model (Llama's), through Microsoft.ML.Tokenizers' LlamaTokenizer.</summary>
public sealed class SentencePieceTokenizer : ITextTokenizer
{
    private readonly LlamaTokenizer inner;

    private SentencePieceTokenizer(LlamaTokenizer inner)
    {
        this.inner = inner;
        StopIds = new[] { inner.EndOfSentenceId };
    }

    /// <summary>Reads a SentencePiece model protobuf.</summary>
    public static SentencePieceTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model '{path}' not found.", path);
        using var stream = File.OpenRead(path);
        try { return new SentencePieceTokenizer(LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false)); }
        catch (Exception e) { throw new InvalidDataException($"{path}: not a SentencePiece model ({e.Message})", e); }
    }

    /// <inheritdoc />
    public int VocabularySize => inner.Vocabulary.Count;

    /// <inheritdoc />
    public int? BosId => inner.BeginningOfSentenceId;

    /// <inheritdoc />
    public int? EosId => inner.EndOfSentenceId;

    /// <inheritdoc />
    public IReadOnlyList<int> StopIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = inner.EncodeToIds(text).ToList();
        if (addBos) ids.Insert(0, inner.BeginningOfSentenceId);
        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) =>
        inner.Decode(ids.Where(i => i != inner.BeginningOfSentenceId && i != inner.EndOfSentenceId)) ?? "";
}
