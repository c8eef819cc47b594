using System.Text;
using System.Text.Json;
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

    /// <summary>
    /// Reads a Hugging Face tokenizer.json whose model is byte-level BPE (GPT-2, GPT-NeoX/Pythia): its vocabulary,
    /// merges (either "a b" strings or ["a", "b"] pairs) and added tokens go to the same CodeGenTokenizer as
    /// vocab.json + merges.txt would. Other tokenizer.json models (Unigram, WordPiece, non-byte-level BPE) are refused.
    /// </summary>
    public static Gpt2Tokenizer LoadTokenizerJson(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer '{path}' not found.", path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object
            || !model.TryGetProperty("type", out var type) || type.GetString() != "BPE"
            || !model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object
            || !model.TryGetProperty("merges", out var merges) || merges.ValueKind != JsonValueKind.Array)
            throw new NotSupportedException($"{path}: only byte-level BPE tokenizer.json files are supported (model.type \"BPE\" with vocab and merges).");
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || !pre.GetRawText().Contains("\"ByteLevel\"", StringComparison.Ordinal))
            throw new NotSupportedException($"{path}: the BPE model is not byte-level (no ByteLevel pre-tokenizer); only GPT-2-style byte-level BPE is supported.");

        var vocabulary = new Dictionary<string, int>();
        foreach (var entry in vocab.EnumerateObject()) vocabulary[entry.Name] = entry.Value.GetInt32();
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
            foreach (var token in added.EnumerateArray())
                if (token.TryGetProperty("content", out var content) && token.TryGetProperty("id", out var id))
                    vocabulary.TryAdd(content.GetString()!, id.GetInt32());
        var mergeLines = new StringBuilder("#version: 0.2\n");
        foreach (var merge in merges.EnumerateArray())
            mergeLines.Append(merge.ValueKind == JsonValueKind.Array
                ? $"{merge[0].GetString()} {merge[1].GetString()}\n"
                : merge.GetString() + "\n");

        using var vocabStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(vocabulary));
        using var mergeStream = new MemoryStream(Encoding.UTF8.GetBytes(mergeLines.ToString()));
        try
        {
            return new Gpt2Tokenizer(CodeGenTokenizer.Create(vocabStream, mergeStream, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false));
        }
        catch (Exception e)
        {
            throw new InvalidDataException($"{path}: not a usable byte-level BPE tokenizer ({e.Message})", e);
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
