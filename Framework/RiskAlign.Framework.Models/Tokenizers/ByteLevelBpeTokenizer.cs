using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> whose model is byte-level BPE (GPT-2, GPT-NeoX/Pythia, Llama 3, Qwen2), encoded
/// as the tokenizers library does: added tokens are split out first and map to their ids; the rest is NFC-normalised
/// when the normalizer says so, split by the pre-tokenizer (ByteLevel's GPT-2 regex, or a Split regex followed by
/// ByteLevel with use_regex false, as Llama 3 and Qwen2 have), each piece's UTF-8 bytes are mapped to GPT-2's printable
/// byte alphabet and merged by merge rank (a piece that is itself in the vocabulary is taken whole when the model has
/// <c>ignore_merges</c>). BOS/EOS follow <see cref="SpecialTokens"/>. Anything else in the file that changes the ids
/// (another model type, normalizer or pre-tokenizer, dropout, subword prefixes) is refused naming it.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    /// <summary>The GPT-2 pre-tokenizer pattern (ByteLevel with use_regex true).</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly char[] ByteToChar = BuildByteAlphabet();
    private static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c, b)).ToDictionary(p => p.c, p => (byte)p.b);

    private readonly Dictionary<string, int> vocabulary;
    private readonly string[] pieces;
    private readonly Dictionary<(string, string), int> ranks;
    private readonly Regex split;
    private readonly Regex? added;
    private readonly Dictionary<string, int> addedTokens;
    private readonly bool nfc, addPrefixSpace, ignoreMerges;
    private readonly HashSet<int> specialIds;
    private readonly SpecialTokens special;

    private ByteLevelBpeTokenizer(Dictionary<string, int> vocabulary, Dictionary<(string, string), int> ranks, string pattern,
        Dictionary<string, int> addedTokens, HashSet<int> specialIds, bool nfc, bool addPrefixSpace, bool ignoreMerges, Func<ByteLevelBpeTokenizer, SpecialTokens> special)
    {
        this.vocabulary = vocabulary;
        this.ranks = ranks;
        this.addedTokens = addedTokens;
        this.specialIds = specialIds;
        this.nfc = nfc;
        this.addPrefixSpace = addPrefixSpace;
        this.ignoreMerges = ignoreMerges;
        split = new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);
        added = addedTokens.Count == 0 ? null
            : new Regex(string.Join("|", addedTokens.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)), RegexOptions.CultureInvariant);
        pieces = new string[Math.Max(vocabulary.Count == 0 ? 0 : vocabulary.Values.Max() + 1, addedTokens.Count == 0 ? 0 : addedTokens.Values.Max() + 1)];
        foreach (var (piece, id) in vocabulary) pieces[id] = piece;
        foreach (var (text, id) in addedTokens) pieces[id] = text;
        this.special = special(this);
        StopIds = this.special.EosId is int eos ? [eos] : [];
    }

    /// <summary>Reads <paramref name="path"/> (a tokenizer.json) and the tokenizer_config.json beside it, if any.</summary>
    public static ByteLevelBpeTokenizer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Tokenizer '{path}' not found.", path);
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
        using var _ = document;
        var root = document.RootElement;
        NotSupportedException Refuse(string what) => new($"{path}: {what}; supported: byte-level BPE (GPT-2, GPT-NeoX, Llama 3, Qwen2 tokenizer.json).");

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.Object)
            throw Refuse("no \"model\" object");
        string type = model.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
        if (type != "BPE") throw Refuse($"model.type \"{type}\" is not supported");
        foreach (var key in new[] { "dropout", "continuing_subword_prefix", "end_of_word_suffix" })
            if (model.TryGetProperty(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) && !(v.ValueKind == JsonValueKind.String && v.GetString() == ""))
                throw Refuse($"model.{key} = {v.GetRawText()} is not supported");
        if (model.TryGetProperty("byte_fallback", out var fallback) && fallback.ValueKind == JsonValueKind.True)
            throw Refuse("model.byte_fallback = true (SentencePiece-style BPE) is not supported");
        bool ignoreMerges = model.TryGetProperty("ignore_merges", out var ignore) && ignore.ValueKind == JsonValueKind.True;

        // normalizer: none or NFC
        bool nfc = false;
        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind != JsonValueKind.Null)
        {
            string kind = normalizer.TryGetProperty("type", out var nt) ? nt.GetString() ?? "" : "";
            if (kind != "NFC") throw Refuse($"normalizer {normalizer.GetRawText()} is not supported (only none or NFC)");
            nfc = true;
        }

        // pre-tokenizer: ByteLevel(use_regex true), or Sequence[Split(Regex, Isolated), ByteLevel(use_regex false)]
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
            throw Refuse("no pre_tokenizer (a BPE that is not byte-level)");
        string pattern;
        bool addPrefixSpace;
        string preType = pre.TryGetProperty("type", out var pt) ? pt.GetString() ?? "" : "";
        bool Flag(JsonElement e, string key, bool fallbackValue) =>
            e.TryGetProperty(key, out var f) && f.ValueKind is JsonValueKind.True or JsonValueKind.False ? f.GetBoolean() : fallbackValue;
        if (preType == "ByteLevel")
        {
            if (!Flag(pre, "use_regex", true)) throw Refuse("a ByteLevel pre_tokenizer with use_regex false and no Split before it is not supported");
            pattern = Gpt2Pattern;
            addPrefixSpace = Flag(pre, "add_prefix_space", false);
        }
        else if (preType == "Sequence" && pre.TryGetProperty("pretokenizers", out var sequence) && sequence.GetArrayLength() == 2
            && sequence[0].TryGetProperty("type", out var st) && st.GetString() == "Split"
            && sequence[1].TryGetProperty("type", out var bt) && bt.GetString() == "ByteLevel" && !Flag(sequence[1], "use_regex", true))
        {
            var splitter = sequence[0];
            if (!splitter.TryGetProperty("pattern", out var p) || !p.TryGetProperty("Regex", out var regex) || regex.GetString() is not { } r)
                throw Refuse($"Split pre_tokenizer {splitter.GetRawText()} has no Regex pattern");
            string behavior = splitter.TryGetProperty("behavior", out var b) ? b.GetString() ?? "" : "";
            if (behavior != "Isolated" || Flag(splitter, "invert", false))
                throw Refuse($"Split behavior \"{behavior}\" (invert {Flag(splitter, "invert", false)}) is not supported (only Isolated, not inverted)");
            pattern = r;
            addPrefixSpace = Flag(sequence[1], "add_prefix_space", false);
        }
        else throw Refuse($"pre_tokenizer {Shorten(pre.GetRawText())} is not supported");

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: model has no \"vocab\" object.");
        foreach (var entry in vocab.EnumerateObject()) vocabulary[entry.Name] = entry.Value.GetInt32();
        var ranks = new Dictionary<(string, string), int>();
        if (!model.TryGetProperty("merges", out var merges) || merges.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"{path}: model has no \"merges\" array.");
        foreach (var merge in merges.EnumerateArray())
        {
            (string, string) pair;
            if (merge.ValueKind == JsonValueKind.Array) pair = (merge[0].GetString()!, merge[1].GetString()!);
            else
            {
                var parts = merge.GetString()!.Split(' ');
                if (parts.Length != 2) throw new InvalidDataException($"{path}: merge \"{merge.GetString()}\" is not two symbols.");
                pair = (parts[0], parts[1]);
            }
            ranks.TryAdd(pair, ranks.Count);
        }
        var addedTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var specialIds = new HashSet<int>();
        if (root.TryGetProperty("added_tokens", out var addedList) && addedList.ValueKind == JsonValueKind.Array)
            foreach (var token in addedList.EnumerateArray())
            {
                string content = token.GetProperty("content").GetString()!;
                int id = token.GetProperty("id").GetInt32();
                addedTokens[content] = id;
                if (!token.TryGetProperty("special", out var sp) || sp.ValueKind == JsonValueKind.True) specialIds.Add(id);
            }

        var (templateBos, templateEos) = Template(root);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return new ByteLevelBpeTokenizer(vocabulary, ranks, pattern, addedTokens, specialIds, nfc, addPrefixSpace, ignoreMerges, self =>
        {
            // without tokenizer_config.json: the post-processor's template decides; GPT-2 files name <|endoftext|> nowhere else
            int? endOfText = self.IdOf("<|endoftext|>");
            var defaults = new SpecialTokens(templateBos ?? endOfText, templateEos ?? endOfText, templateBos is not null, templateEos is not null);
            return SpecialTokens.Read(folder, defaults, self.IdOf);
        });
    }

    /// <summary>
    /// Reads GPT-2's vocab.json + merges.txt (and the tokenizer_config.json beside them, if any), as transformers'
    /// GPT2Tokenizer does: GPT-2's pre-tokenizer regex, <c>&lt;|endoftext|&gt;</c> as the one added special token and
    /// BOS/EOS, neither added to encoded text by default.
    /// </summary>
    public static ByteLevelBpeTokenizer LoadVocabularyAndMerges(string vocabPath, string mergesPath)
    {
        foreach (var p in new[] { vocabPath, mergesPath })
            if (!File.Exists(p)) throw new FileNotFoundException($"GPT-2 tokenizer file '{p}' not found.", p);
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(vocabPath));
            foreach (var entry in document.RootElement.EnumerateObject()) vocabulary[entry.Name] = entry.Value.GetInt32();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{vocabPath}: not a GPT-2 vocabulary (a JSON object of piece → id): {e.Message}", e);
        }
        var ranks = new Dictionary<(string, string), int>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(mergesPath))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            var parts = line.Split(' ');
            if (parts.Length != 2) throw new InvalidDataException($"{mergesPath}:{lineNumber}: merge \"{line}\" is not two symbols.");
            ranks.TryAdd((parts[0], parts[1]), ranks.Count);
        }
        var addedTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        var specialIds = new HashSet<int>();
        if (vocabulary.TryGetValue("<|endoftext|>", out int endOfText))
        {
            addedTokens["<|endoftext|>"] = endOfText;
            specialIds.Add(endOfText);
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(vocabPath))!;
        return new ByteLevelBpeTokenizer(vocabulary, ranks, Gpt2Pattern, addedTokens, specialIds, nfc: false, addPrefixSpace: false,
            ignoreMerges: false, self =>
            {
                int? end = self.IdOf("<|endoftext|>");
                return SpecialTokens.Read(folder, new SpecialTokens(end, end, AddBos: false, AddEos: false), self.IdOf);
            });
    }

    /// <summary>The special tokens a TemplateProcessing post-processor puts before and after a single sequence.</summary>
    private static (int? bos, int? eos) Template(JsonElement root)
    {
        if (!root.TryGetProperty("post_processor", out var post) || post.ValueKind != JsonValueKind.Object) return (null, null);
        IEnumerable<JsonElement> processors = post.TryGetProperty("processors", out var list) ? list.EnumerateArray() : [post];
        foreach (var processor in processors)
        {
            if (!processor.TryGetProperty("type", out var type) || type.GetString() != "TemplateProcessing") continue;
            var single = processor.GetProperty("single").EnumerateArray().ToList();
            int? Special(JsonElement item) => item.TryGetProperty("SpecialToken", out var s)
                && processor.TryGetProperty("special_tokens", out var map) && map.TryGetProperty(s.GetProperty("id").GetString()!, out var entry)
                ? entry.GetProperty("ids")[0].GetInt32() : null;
            return (single.Count > 0 ? Special(single[0]) : null, single.Count > 1 ? Special(single[^1]) : null);
        }
        return (null, null);
    }

    private static string Shorten(string s) => s.Length <= 120 ? s : s[..120] + "…";

    /// <summary>GPT-2's bytes_to_unicode: printable bytes stand for themselves, the others map to U+0100 onwards.</summary>
    private static char[] BuildByteAlphabet()
    {
        var map = new char[256];
        int next = 0;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + next++);
        }
        return map;
    }

    /// <summary>The id of a token's text (an added token or a vocabulary piece), or null.</summary>
    public int? IdOf(string text) => addedTokens.TryGetValue(text, out int a) ? a : vocabulary.TryGetValue(text, out int v) ? v : null;

    /// <inheritdoc />
    public int VocabularySize => pieces.Length;

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
    public IReadOnlyList<int> Encode(string text, bool addBos)
    {
        var ids = new List<int>();
        int start = 0;
        if (added is not null)
            foreach (Match m in added.Matches(text))
            {
                EncodeOrdinary(text[start..m.Index], ids);
                ids.Add(addedTokens[m.Value]);
                start = m.Index + m.Length;
            }
        EncodeOrdinary(text[start..], ids);
        return special.Wrap(ids, addBos);
    }

    private void EncodeOrdinary(string text, List<int> ids)
    {
        if (text.Length == 0) return;
        if (nfc) text = text.Normalize(NormalizationForm.FormC);
        if (addPrefixSpace && text[0] != ' ') text = " " + text;
        foreach (Match m in split.Matches(text))
        {
            var mapped = string.Concat(Encoding.UTF8.GetBytes(m.Value).Select(b => ByteToChar[b]));
            if (ignoreMerges && vocabulary.TryGetValue(mapped, out int whole)) { ids.Add(whole); continue; }
            foreach (var symbol in Merge(mapped))
                ids.Add(vocabulary.TryGetValue(symbol, out int id) ? id
                    : throw new InvalidDataException($"Byte-level BPE: symbol '{symbol}' is not in the vocabulary (the tokenizer.json lacks a byte piece)."));
        }
    }

    /// <summary>GPT-2's bpe(): merge the adjacent pair of lowest rank, everywhere it occurs, until none is in the merges.</summary>
    private List<string> Merge(string word)
    {
        var symbols = word.Select(c => c.ToString()).ToList();
        while (symbols.Count > 1)
        {
            int best = int.MaxValue;
            (string, string) pair = default;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (ranks.TryGetValue((symbols[i], symbols[i + 1]), out int rank) && rank < best) { best = rank; pair = (symbols[i], symbols[i + 1]); }
            if (best == int.MaxValue) break;
            var merged = new List<string>(symbols.Count);
            for (int i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && symbols[i] == pair.Item1 && symbols[i + 1] == pair.Item2) { merged.Add(pair.Item1 + pair.Item2); i++; }
                else merged.Add(symbols[i]);
            }
            symbols = merged;
        }
        return symbols;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (id < 0 || id >= pieces.Length || pieces[id] is null) throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {id} is outside the vocabulary of {pieces.Length}.");
            if (specialIds.Contains(id)) continue;
            if (addedTokens.ContainsKey(pieces[id]) && !vocabulary.ContainsKey(pieces[id])) { bytes.AddRange(Encoding.UTF8.GetBytes(pieces[id])); continue; }
            foreach (char c in pieces[id]) bytes.Add(CharToByte.TryGetValue(c, out byte b) ? b : (byte)'?');
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
