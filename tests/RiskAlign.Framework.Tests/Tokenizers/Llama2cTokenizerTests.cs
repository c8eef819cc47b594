using RiskAlign.Framework.Tests.RealModels;

namespace RiskAlign.Framework.Tests.Tokenizers;

public sealed class Llama2cTokenizerTests(Stories260K assets) : IClassFixture<Stories260K>
{
    // Expected ids: run.c's bpe_encode on the same tok512.bin (see Stories260K for how they were produced).
    public static TheoryData<string, int[]> RunCEncodings => new()
    {
        { "Once upon a time", [403, 407, 261, 378] },
        { "Hello, world!", [346, 306, 414, 432, 263, 304, 341, 443] },
        { "The quick brown fox jumps over the lazy dog.", [291, 410, 456, 425, 417, 340, 268, 420, 327, 416, 272, 414, 444, 410, 449, 425, 423, 427, 419, 334, 330, 265, 278, 412, 451, 422, 400, 428, 426] },
        // é, —, ï and 🐶 are not pieces: byte fallback (<0xC3> is id 0xC3 + 3 = 198, …)
        { "Lily's café — naïve 🐶", [317, 439, 419, 280, 412, 431, 485, 410, 481, 297, 412, 198, 178, 360, 410, 243, 162, 147, 185] },
    };

    [Theory]
    [MemberData(nameof(RunCEncodings))]
    public void Encode_matches_run_c(string text, int[] expected)
    {
        Assert.Equal(expected, assets.Tokenizer.Encode(text, addBos: false));
        Assert.Equal([1, .. expected], assets.Tokenizer.Encode(text, addBos: true));
    }

    [Theory]
    [InlineData("Once upon a time, there was a little girl named Lily.")]
    [InlineData("\"Let's go to the park!\" said Tom. He was happy.\nThe end.")]
    [InlineData("Lily's café — naïve 🐶, 東京 and ÅØÆ.")]
    [InlineData("  two leading spaces, tabs\tand trailing space ")]
    public void Decode_of_encode_with_BOS_round_trips_real_sentences(string text)
    {
        Assert.Equal(text, assets.Tokenizer.Decode(assets.Tokenizer.Encode(text, addBos: true)));
    }

    [Fact]
    public void Without_BOS_the_dummy_prefix_space_stays_as_run_c_prints_it()
    {
        Assert.Equal(" Once upon a time", assets.Tokenizer.Decode(assets.Tokenizer.Encode("Once upon a time", addBos: false)));
    }

    [Fact]
    public void Empty_text_is_no_tokens_and_special_ids_are_unk_bos_eos()
    {
        Assert.Empty(assets.Tokenizer.Encode("", addBos: false));
        Assert.Equal(512, assets.Tokenizer.VocabularySize);
        Assert.Equal(1, assets.Tokenizer.BosId);
        Assert.Equal(2, assets.Tokenizer.EosId);
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var e = Assert.Throws<FileNotFoundException>(() => RiskAlign.Framework.Tokenizers.Llama2cTokenizer.Load("/nonexistent/tok.bin"));
        Assert.Contains("/nonexistent/tok.bin", e.Message);
    }
}
