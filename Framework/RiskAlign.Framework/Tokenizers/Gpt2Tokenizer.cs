using Microsoft.ML.Tokenizers;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>GPT-2 byte-level BPE from vocab.json + merges.txt, through Microsoft.ML.Tokenizers' CodeGenTokenizer
/// (the GPT-2 byte-level BPE with GPT-2's pre-tokenizer regex); &lt;|endoftext|&gt; is both BOS and EOS.</summary>
public sealed class Gpt2Tokenizer : ITextTokenizer
{
    private readonly CodeGenTokenizer inner;
    private readonly int endOfText;

    private Gpt2Tokenizer(CodeGenTokenizer inner)
    {
        this.inner = inner;
        endOfText = inner.Vocabulary.TryGetValue("<|endoftext|>", out int id) ? id : -1;
        StopIds = endOfText >= 0 ? new[] { endOfText } : Array.Empty<int>();
    }

    /// <summary>Reads vocab.json and merges.txt.</summary>
    public static Gpt2Tokenizer Load(string vocabPath, string mergesPath)
    {
        foreach (var p in new[] { vocabPath, mergesPath })
            if (!File.Exists(p)) throw new FileNotFoundException($"GPT-2 tokenizer file '{p}' not found.", p);
        using var vocab = File.OpenRead(vocabPath);
        using var merges = File.OpenRead(mergesPath);
        try
        {
            return new Gpt2Tokenizer(CodeGenTokenizer.Create(vocab, merges, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false));
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{vocabPath} / {mergesPath}: not a GPT-2 byte-level BPE vocabulary ({e.Message})", e);
        }
    }

    /// <inheritdoc />
    public int VocabularySize => inner.Vocabulary.Count;

    /// <inheritdoc />
    public int? BosId => endOfText >= 0 ? endOfText : null;

    /// <inheritdoc />
    public int? EosId => endOfText >= 0 ? endOfText : null;

    /// <inheritdoc />
    public IReadOnlyList<int> StopIds { get; }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = inner.EncodeToIds(text).ToList();
        if (addBos && endOfText >= 0) ids.Insert(0, endOfText);
        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids) => inner.Decode(ids.Where(i => i != endOfText)) ?? "";
}
