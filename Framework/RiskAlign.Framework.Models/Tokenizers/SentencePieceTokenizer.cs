using Microsoft.ML.Tokenizers;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>A SentencePiece tokenizer.model (Llama's), through Microsoft.ML.Tokenizers' LlamaTokenizer.</summary>
public sealed class SentencePieceTokenizer : ITextTokenizer
{
    private readonly LlamaTokenizer inner;
    private readonly SpecialTokens special;

    private SentencePieceTokenizer(LlamaTokenizer inner, string folder)
    {
        this.inner = inner;
        // transformers' LlamaTokenizer: add_bos_token true, add_eos_token false, unless tokenizer_config.json says otherwise
        special = SpecialTokens.Read(folder, new SpecialTokens(inner.BeginningOfSentenceId, inner.EndOfSentenceId, AddBos: true, AddEos: false),
            text => inner.Vocabulary.TryGetValue(text, out int id) ? id : null);
        StopIds = special.EosId is int eos ? new[] { eos } : Array.Empty<int>();
    }

    /// <summary>Reads a SentencePiece model protobuf.</summary>
    public static SentencePieceTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SentencePiece model '{path}' not found.", path);
        using var stream = File.OpenRead(path);
        try { return new SentencePieceTokenizer(LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false), Path.GetDirectoryName(Path.GetFullPath(path))!); }
        catch (Exception e) { throw new InvalidDataException($"{path}: not a SentencePiece model ({e.Message})", e); }
    }

    /// <inheritdoc />
    public int VocabularySize => inner.Vocabulary.Count;

    /// <inheritdoc />
    public int? BosId => special.BosId;

    /// <inheritdoc />
    public int? EosId => special.EosId;

    /// <inheritdoc />
    public bool AddBosToken => special.AddBos;

    /// <inheritdoc />
    public IReadOnlyList<int> StopIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        return special.Wrap(inner.EncodeToIds(text), addBos);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) =>
        inner.Decode(ids.Where(i => i != special.BosId && i != special.EosId)) ?? "";
}
