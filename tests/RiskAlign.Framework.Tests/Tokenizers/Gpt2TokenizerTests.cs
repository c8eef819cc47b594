using Xunit;

namespace RiskAlign.Framework.Tests.Tokenizers;

public sealed class Gpt2TokenizerTests
{
    private static readonly Lazy<ITextTokenizer> tokenizer = new(() =>
        TokenizerLoader.Load(Path.GetDirectoryName(AssetLocator.Require("tokenizers/gpt2/vocab.json"))!));

    [Fact]
    public void Hello_world_encodes_to_the_well_known_GPT2_ids()
    {
        // 15496 = "Hello", 995 = "Ġworld": published GPT-2 encodings (e.g. the Hugging Face GPT-2 tokenizer docs).
        Assert.Equal(new[] { 15496, 995 }, tokenizer.Value.Encode("Hello world", addBos: false));
        Assert.Equal(50257, tokenizer.Value.VocabularySize);
        Assert.Equal(50256, tokenizer.Value.EosId);
    }

    [Fact]
    public void Runs_of_spaces_stay_inside_the_GPT2_vocabulary_as_transformers_encodes_them()
    {
        // GPT-2's pre-tokenizer splits "a   b" into "a", "  ", " b"; its vocabulary has no multi-space piece, so the
        // run is one "Ġ" (220) per space before "Ġb" (275); ids from vocab.json. (Microsoft.ML.Tokenizers' CodeGen
        // tokenizer maps such runs to CodeGen's own whitespace tokens, ids past 50,256, which a GPT-2 model lacks.)
        Assert.Equal(new[] { 64, 220, 220, 275 }, tokenizer.Value.Encode("a   b", addBos: false));
        var ids = tokenizer.Value.Encode("indented\n        code\t\t\tand   gaps    ", addBos: false);
        Assert.All(ids, id => Assert.InRange(id, 0, 50256));
        Assert.Equal("indented\n        code\t\t\tand   gaps    ", tokenizer.Value.Decode(ids));
    }

    [Theory]
    [InlineData("Human: What is the capital of France?\n\nAssistant: The capital of France is Paris.")]
    [InlineData("I loved this movie!!! The acting was superb — 10/10, would watch again.")]
    [InlineData("  leading spaces, tabs\tand unicode: café, naïve, 東京, 😀")]
    public void Real_text_round_trips(string text)
    {
        var ids = tokenizer.Value.Encode(text, addBos: true);
        Assert.Equal(50256, ids[0]);
        Assert.Equal(text, tokenizer.Value.Decode(ids));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_tokenizer_json_built_from_the_GPT2_files_encodes_exactly_as_they_do(bool mergesAsPairs)
    {
        // tokenizer.json as Hugging Face writes it for GPT-2/Pythia: model.vocab, model.merges ("a b" strings in
        // older files, ["a", "b"] pairs in newer ones), a ByteLevel pre-tokenizer and added tokens.
        var gpt2 = Path.GetDirectoryName(AssetLocator.Require("tokenizers/gpt2/vocab.json"))!;
        var vocab = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(gpt2, "vocab.json")))!;
        var merges = new System.Text.Json.Nodes.JsonArray();
        foreach (var line in File.ReadLines(Path.Combine(gpt2, "merges.txt")).Where(l => l.Length > 0 && !l.StartsWith("#version")))
            merges.Add(mergesAsPairs ? new System.Text.Json.Nodes.JsonArray(line.Split(' ')[0], line.Split(' ')[1]) : line);
        var json = new System.Text.Json.Nodes.JsonObject
        {
            ["added_tokens"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = 50256, ["content"] = "<|endoftext|>" }),
            ["pre_tokenizer"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false },
            ["model"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "BPE", ["vocab"] = vocab, ["merges"] = merges },
        };
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "tokenizer.json"), json.ToJsonString());
            var fromJson = TokenizerLoader.Load(folder);
            const string text = "Human: What is the capital of France?\n\nAssistant: Paris — café, 東京, 😀";
            Assert.Equal(tokenizer.Value.Encode(text, addBos: true), fromJson.Encode(text, addBos: true));
            Assert.Equal(50256, fromJson.EosId);
            Assert.Equal(text, fromJson.Decode(fromJson.Encode(text, addBos: true)));
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void A_folder_without_vocabulary_files_fails_naming_the_folder()
    {
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(folder));
            Assert.Contains(folder, e.Message);
        }
        finally { Directory.Delete(folder, true); }
    }
}

public sealed class TokenizerLoaderTests
{
    [Fact]
    public void A_llama2c_bin_loads_as_the_llama2c_tokenizer_with_BOS_and_EOS_as_stop_ids()
    {
        var loaded = TokenizerLoader.Load(AssetLocator.Require("models/stories260k/tok512.bin"));
        Assert.IsType<Llama2cTokenizer>(loaded);
        Assert.Equal(512, loaded.VocabularySize);
        Assert.Equal(new[] { 2, 1 }, loaded.StopIds);
    }

    [Fact]
    public void A_missing_path_and_a_tokenizer_json_that_is_not_byte_level_BPE_fail_with_clear_messages()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.bin");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(missing)).Message);
        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var json = Path.Combine(folder, "tokenizer.json");
            File.WriteAllText(json, "{}");
            Assert.Contains("tokenizer.json", Assert.Throws<NotSupportedException>(() => TokenizerLoader.Load(json)).Message);
        }
        finally { Directory.Delete(folder, true); }
    }
}
