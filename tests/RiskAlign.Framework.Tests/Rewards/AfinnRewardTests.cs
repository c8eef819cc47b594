namespace RiskAlign.Framework.Tests.Rewards;

public sealed class AfinnRewardTests
{
    private static readonly AfinnReward Afinn = AfinnReward.FromAssets();

    [Fact]
    public void Loads_all_entries_of_afinn_165()
    {
        // 3,382 lines in AFINN-en-165.txt (wc -l), one entry each.
        Assert.Equal(3382, Afinn.Count);
    }

    // Expected sums from the entries of AFINN-en-165.txt: good 3, bad -3, happy 3, love 3, hate -3,
    // "can't stand" -3, "does not work" -3, self-confident 2, naïve -2, super 3.
    [Theory]
    [InlineData("This is good.", 3)]
    [InlineData("Good, GOOD and bad!", 3)]                 // case-insensitive, punctuation ignored
    [InlineData("I love it but hate the ending", 0)]
    [InlineData("I can't stand this", -3)]                 // multi-word entry with apostrophe
    [InlineData("I can’t stand this", -3)]                 // typographic apostrophe
    [InlineData("It does not work", -3)]                   // three-word entry, words not counted again
    [InlineData("a self-confident, naïve person", 0)]      // hyphenated entry, non-ASCII letter
    [InlineData("super-happy", 6)]                         // unknown hyphenated word: sum of its parts
    [InlineData("the table", 0)]
    public void Score_is_the_sum_of_word_valences(string text, double expected)
    {
        Assert.Equal(expected, Afinn.Score(text));
    }

    [Fact]
    public void Tokenisation_keeps_contractions_and_hyphens()
    {
        Assert.Equal(["can't", "self-confident", "ok", "42"], AfinnReward.Tokenize("Can't... self-confident -- OK 42!"));
    }
}
