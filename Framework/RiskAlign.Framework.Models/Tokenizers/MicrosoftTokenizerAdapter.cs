using Microsoft.ML.Tokenizers;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>
/// An <see cref="ITextTokenizer"/> over a Microsoft.ML.Tokenizers tokenizer: text is encoded without special tokens,
/// then BOS/EOS are added as <see cref="SpecialTokens"/> (tokenizer_config.json, else the format's defaults) says;
/// decoding drops them. SentencePiece (tokenizer.model) is read through it; byte-level BPE files (GPT-2's vocab.json +
/// merges.txt, tokenizer.json) go through <see cref="ByteLevelBpeTokenizer"/>.
/// </summary>
public abstract class MicrosoftTokenizerAdapter : ITextTokenizer
{
    private readonly Tokenizer inner;
    private readonly SpecialTokens special;

    /// <param name="inner">Created without BOS/EOS of its own.</param>
    /// <param name="vocabulary">Its vocabulary (special tokens are looked up there by text).</param>
    /// <param name="folder">Where a tokenizer_config.json may override <paramref name="defaults"/>.</param>
    protected MicrosoftTokenizerAdapter(Tokenizer inner, IReadOnlyDictionary<string, int> vocabulary, string folder, SpecialTokens defaults)
    {
        this.inner = inner;
        VocabularySize = vocabulary.Count;
        special = SpecialTokens.Read(folder, defaults, text => vocabulary.TryGetValue(text, out int id) ? id : null);
        StopIds = special.EosId is int eos ? new[] { eos } : Array.Empty<int>();
    }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public int? BosId => special.BosId;

    /// <inheritdoc />
    public int? EosId => special.EosId;

    /// <inheritdoc />
    public bool AddBosToken => special.AddBos;

    /// <inheritdoc />
    public bool AddEosToken => special.AddEos;

    /// <inheritdoc />
    public IReadOnlyList<int> StopIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addBos) => special.Wrap(inner.EncodeToIds(text), addBos);

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) => inner.Decode(ids.Where(i => i != special.BosId && i != special.EosId)) ?? "";
}
