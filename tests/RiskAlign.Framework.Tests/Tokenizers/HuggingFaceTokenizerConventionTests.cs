using System.Text.Json.Nodes;
using Xunit;

namespace RiskAlign.Framework.Tests.Tokenizers;

/// <summary>
/// BOS/EOS as transformers decides them (tokenizer_config.json, the tokenizer.json template, the format's default) and
/// byte-level BPE tokenizer.json files with Llama 3's and Qwen2's split regex and normalizer. Expected ids are derived
/// by hand in the comments from the rules of Hugging Face's tokenizers library (pre-tokenizer regex, byte alphabet,
/// merges by rank, ignore_merges) on a vocabulary the test writes; no transformers is installed here.
/// </summary>
public sealed class HuggingFaceTokenizerConventionTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-tokenizer-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Gpt2Folder => Path.GetDirectoryName(AssetLocator.Require("tokenizers/gpt2/vocab.json"))!;

    private string CopyGpt2(string? tokenizerConfig)
    {
        foreach (var name in new[] { "vocab.json", "merges.txt" }) File.Copy(Path.Combine(Gpt2Folder, name), Path.Combine(folder, name));
        if (tokenizerConfig is not null) File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), tokenizerConfig);
        return folder;
    }

    [Fact]
    public void GPT2_adds_no_BOS_by_default_and_generate_does_not_prepend_endoftext()
    {
        var tokenizer = TokenizerLoader.Load(Gpt2Folder);
        Assert.False(tokenizer.AddBosToken); // transformers' GPT2Tokenizer: add_bos_token = False
        Assert.Equal([15496, 995], tokenizer.Encode("Hello world", tokenizer.AddBosToken));
        TorchSharp.torch.manual_seed(3);
        using var model = new Gpt2Model(new Gpt2Config(Dim: 8, Layers: 1, Heads: 2, VocabularySize: 50257, MaxSequenceLength: 16, InnerDim: 16));
        var options = new GenerationOptions { MaxNewTokens = 4, StopAtEos = false };
        // greedy from the prompt ids alone, as transformers' generate on GPT-2 starts from tokenizer("Hello world")
        var expected = tokenizer.Decode(TextGenerator.GenerateIds(model, [15496, 995], options, []));
        Assert.Equal(expected, TextGenerator.Generate(model, tokenizer, "Hello world", options));
    }

    [Fact]
    public void Tokenizer_config_decides_BOS_EOS_and_whether_BOS_is_added()
    {
        // add_bos_token true with bos_token as {"content": ...}, as some saved GPT-2 configs have; eos as a plain string
        var tokenizer = TokenizerLoader.Load(CopyGpt2("""{"add_bos_token": true, "bos_token": {"content": "<|endoftext|>"}, "eos_token": "!"}"""));
        Assert.True(tokenizer.AddBosToken);
        Assert.Equal(50256, tokenizer.BosId);
        Assert.Equal(0, tokenizer.EosId); // "!" is GPT-2 id 0
        Assert.Equal([0], tokenizer.StopIds);
        Assert.Equal([50256, 15496, 995], tokenizer.Encode("Hello world", tokenizer.AddBosToken));
    }

    [Fact]
    public void A_bos_token_that_is_not_in_the_vocabulary_is_refused_naming_the_file()
    {
        var e = Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(CopyGpt2("""{"bos_token": "<s>"}""")));
        Assert.Contains("tokenizer_config.json", e.Message);
        Assert.Contains("\"<s>\"", e.Message);
    }

    /// <summary>GPT-2's bytes_to_unicode, written out here independently of the tokenizer.</summary>
    private static string ByteChar(int b)
    {
        bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
        if (printable) return ((char)b).ToString();
        int n = Enumerable.Range(0, b).Count(x => !((x >= 33 && x <= 126) || (x >= 161 && x <= 172) || (x >= 174 && x <= 255)));
        return ((char)(256 + n)).ToString();
    }

    private const string Llama3Pattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>A Llama 3 / Qwen2 style tokenizer.json: bytes are ids 0..255 (id = byte value), then merged pieces
    /// "He" 256, "ll" 257, "Hell" 258, "12" 259, "123" 260, "Hello" 261, "45" 262 (in the vocabulary, no merge),
    /// "'S" 264; &lt;|begin_of_text|&gt; 263 is a special added token that the template puts first.</summary>
    private string WriteByteLevelJson(bool ignoreMerges, string? normalizer, bool template = true)
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++) vocab[ByteChar(b)] = b;
        string[] merged = ["He", "ll", "Hell", "12", "123", "Hello", "45"];
        for (int i = 0; i < merged.Length; i++) vocab[merged[i]] = 256 + i;
        vocab["'S"] = 264;
        var merges = new JsonArray(new JsonArray("H", "e"), new JsonArray("l", "l"), new JsonArray("He", "ll"), new JsonArray("1", "2"),
            new JsonArray("12", "3"), new JsonArray("Hell", "o"), new JsonArray("'", "S"));
        var json = new JsonObject
        {
            ["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 263, ["content"] = "<|begin_of_text|>", ["special"] = true }),
            ["normalizer"] = normalizer is null ? null : new JsonObject { ["type"] = normalizer },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = Llama3Pattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["post_processor"] = !template ? null : new JsonObject
            {
                ["type"] = "Sequence",
                ["processors"] = new JsonArray(
                    new JsonObject { ["type"] = "ByteLevel" },
                    new JsonObject
                    {
                        ["type"] = "TemplateProcessing",
                        ["single"] = new JsonArray(new JsonObject { ["SpecialToken"] = new JsonObject { ["id"] = "<|begin_of_text|>", ["type_id"] = 0 } },
                            new JsonObject { ["Sequence"] = new JsonObject { ["id"] = "A", ["type_id"] = 0 } }),
                        ["special_tokens"] = new JsonObject { ["<|begin_of_text|>"] = new JsonObject { ["id"] = "<|begin_of_text|>", ["ids"] = new JsonArray(263) } },
                    }),
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject { ["type"] = "BPE", ["dropout"] = null, ["ignore_merges"] = ignoreMerges, ["vocab"] = vocab, ["merges"] = merges },
        };
        var path = Path.Combine(folder, "tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Theory]
    // Llama 3 split: "Hello" | " " | "123" | "45" (digits in groups of at most 3; the space before digits is its own piece).
    // "Hello" merges H+e, l+l, He+ll, Hell+o → 261; " " is byte 32; "123" → 1+2, 12+3 → 260; "45" has no merge: with
    // ignore_merges the whole piece is in the vocabulary → 262, without it stays bytes '4' 52, '5' 53.
    [InlineData("Hello 12345", true, new[] { 263, 261, 32, 260, 262 })]
    [InlineData("Hello 12345", false, new[] { 263, 261, 32, 260, 52, 53 })]
    // (?i:'s) keeps "'S" together ('+S → 264) where GPT-2's case-sensitive 's would split it: I 73, T 84.
    [InlineData("IT'S", true, new[] { 263, 73, 84, 264 })]
    // an added token in the text is its id, and text around it is encoded on its own
    [InlineData("He<|begin_of_text|>ll", true, new[] { 263, 256, 263, 257 })]
    public void A_Llama3_style_tokenizer_json_gives_the_ids_the_tokenizers_library_rules_give(string text, bool ignoreMerges, int[] expected)
    {
        var tokenizer = TokenizerLoader.Load(WriteByteLevelJson(ignoreMerges, normalizer: null));
        Assert.True(tokenizer.AddBosToken); // from the TemplateProcessing post-processor
        Assert.Equal(263, tokenizer.BosId);
        Assert.Equal(expected, tokenizer.Encode(text, tokenizer.AddBosToken));
        Assert.Equal(text.Replace("<|begin_of_text|>", ""), tokenizer.Decode(tokenizer.Encode(text, tokenizer.AddBosToken)));
    }

    [Fact]
    public void Qwen2s_NFC_normalizer_composes_before_the_bytes_are_mapped()
    {
        // "e" + U+0301 composes to "é" (UTF-8 C3 A9 → ids 195, 169); unnormalised it would be 101, 204, 129
        var tokenizer = TokenizerLoader.Load(WriteByteLevelJson(ignoreMerges: false, normalizer: "NFC", template: false));
        Assert.False(tokenizer.AddBosToken); // Qwen2: no template, no BOS
        Assert.Equal([195, 169], tokenizer.Encode("e\u0301", tokenizer.AddBosToken));
    }

    [Fact]
    public void Tokenizer_config_add_bos_token_false_overrides_the_template()
    {
        var path = WriteByteLevelJson(ignoreMerges: true, normalizer: null);
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), """{"add_bos_token": false, "bos_token": "<|begin_of_text|>", "eos_token": "<|begin_of_text|>"}""");
        var tokenizer = TokenizerLoader.Load(path);
        Assert.False(tokenizer.AddBosToken);
        Assert.Equal([261], tokenizer.Encode("Hello", tokenizer.AddBosToken));
    }

    [Theory]
    [InlineData("""{"model": {"type": "Unigram", "vocab": []}}""", "model.type \"Unigram\"")]
    [InlineData("""{"pre_tokenizer": {"type": "Metaspace"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "Metaspace")]
    [InlineData("""{"pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "byte_fallback": true, "vocab": {}, "merges": []}}""", "byte_fallback")]
    [InlineData("""{"normalizer": {"type": "Lowercase"}, "pre_tokenizer": {"type": "ByteLevel"}, "model": {"type": "BPE", "vocab": {}, "merges": []}}""", "Lowercase")]
    public void A_tokenizer_json_that_is_not_byte_level_BPE_is_refused_naming_what(string json, string named)
    {
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json);
        var e = Assert.Throws<NotSupportedException>(() => TokenizerLoader.Load(folder));
        Assert.Contains(named, e.Message);
        Assert.Contains("tokenizer.json", e.Message);
    }
}
