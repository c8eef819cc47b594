using RiskAlign.Framework.Rewards;

namespace RiskAlign.Framework.Tests.Rewards;

public sealed class VaderRewardTests
{
    private static readonly VaderReward Vader = VaderReward.FromAssets();

    /// <summary>
    /// Sentences and compound scores exactly as published in the "Output for the above example code" section of
    /// vaderSentiment's README (cjhutto/vaderSentiment, README.rst), rounded there to 4 decimals. The emoji example
    /// is left out: emoji translation needs vaderSentiment's emoji lexicon, which is not among the assets.
    /// </summary>
    [Theory]
    [InlineData("VADER is smart, handsome, and funny.", 0.8316)]                 // plain positive
    [InlineData("VADER is smart, handsome, and funny!", 0.8439)]                 // exclamation amplification
    [InlineData("VADER is very smart, handsome, and funny.", 0.8545)]            // booster word
    [InlineData("VADER is VERY SMART, handsome, and FUNNY.", 0.9227)]            // ALL-CAPS emphasis
    [InlineData("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342)]          // caps + punctuation
    [InlineData("VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!", 0.9469)] // slang boosters
    [InlineData("VADER is not smart, handsome, nor funny.", -0.7424)]            // negation within 3 words
    [InlineData("The book was good.", 0.4404)]
    [InlineData("At least it isn't a horrible book.", 0.431)]                    // "n't" negation, "at least"
    [InlineData("The book was only kind of good.", 0.3832)]                      // "kind of" dampener
    [InlineData("The plot was good, but the characters are uncompelling and the dialog is not great.", -0.7042)] // "but" shift
    [InlineData("Today SUX!", -0.5461)]                                          // slang, caps, "!"
    [InlineData("Today only kinda sux! But I'll get by, lol", 0.5249)]           // dampener, "but", initialism
    [InlineData("Make sure you :) or :D today!", 0.8633)]                        // emoticons kept by tokenisation
    [InlineData("Not bad at all", 0.431)]                                        // capitalised negation
    public void Compound_matches_vaderSentiment_readme(string sentence, double published)
    {
        Assert.Equal(published, Vader.Score(sentence), 4);
    }

    [Fact]
    public void Proportions_match_vaderSentiment_readme()
    {
        // {'pos': 0.746, 'compound': 0.8316, 'neu': 0.254, 'neg': 0.0} and {'pos': 0.0, 'compound': -0.5461,
        // 'neu': 0.221, 'neg': 0.779}: vaderSentiment README output, rounded there to 3 decimals.
        var smart = Vader.PolarityScores("VADER is smart, handsome, and funny.");
        Assert.Equal(0.746, smart.Positive, 3);
        Assert.Equal(0.254, smart.Neutral, 3);
        Assert.Equal(0.0, smart.Negative, 3);
        var sux = Vader.PolarityScores("Today SUX!");
        Assert.Equal(0.779, sux.Negative, 3);
        Assert.Equal(0.221, sux.Neutral, 3);
    }

    [Fact]
    public void Compound_of_a_single_word_is_its_normalised_valence()
    {
        // "good" has mean valence 1.9 in vader_lexicon.txt; x/sqrt(x^2+15) by definition.
        Assert.Equal(1.9 / Math.Sqrt(1.9 * 1.9 + 15), Vader.Score("good"), 12);
        Assert.Equal(0.0, Vader.Score(""));
        Assert.Equal(0.0, Vader.Score("the table"));
    }
}
