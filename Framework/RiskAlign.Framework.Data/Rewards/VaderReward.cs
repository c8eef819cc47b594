using RiskAlign.Framework.Assets;

namespace RiskAlign.Framework.Rewards;

/// <summary>
/// VADER sentiment (Hutto and Gilbert, ICWSM 2014), following the rules of the reference implementation
/// <c>vaderSentiment</c> (cjhutto/vaderSentiment, MIT): lexicon valences adjusted by booster and dampener words
/// (±0.293, dampened 5% and 10% at distance 2 and 3), negation within the three preceding words (×−0.74;
/// "never so/this" ×1.25 instead, "without doubt" unchanged), "no" before a lexicon word, "least", the idioms
/// "kind of"/"sort of" and a few special phrases, ALL-CAPS emphasis when only some words are capitalised
/// (±0.733), contrastive "but" (×0.5 before, ×1.5 after), exclamation marks (+0.292 each, up to 4) and
/// question marks (2–3: +0.18 each, more: +0.96), and the compound normalisation x/√(x² + 15).
/// </summary>
/// <remarks>
/// Tokenisation as in vaderSentiment: split on whitespace, strip leading and trailing ASCII punctuation unless
/// fewer than 3 characters would remain (so emoticons such as <c>:)</c> survive). Not implemented: emoji
/// translation (vaderSentiment's emoji lexicon is not among the assets; emoji score 0). Where the reference's
/// "but" rule locates sentiments by value (<c>list.index</c>), this one uses positions, as intended.
/// </remarks>
public sealed class VaderReward : ITextReward
{
    /// <summary>Path of the lexicon under the assets folder.</summary>
    public const string AssetPath = "lexicons/vader_lexicon.txt";

    /// <summary>Booster word increment (empirically derived mean rating increase).</summary>
    public const double BoosterIncrement = 0.293;
    /// <summary>Dampener word decrement.</summary>
    public const double BoosterDecrement = -0.293;
    /// <summary>ALL-CAPS emphasis increment.</summary>
    public const double CapsIncrement = 0.733;
    /// <summary>Negation scalar.</summary>
    public const double NegationScalar = -0.74;
    /// <summary>Normalisation constant of the compound score.</summary>
    public const double Alpha = 15;

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    };

    private static readonly Dictionary<string, double> Boosters = BuildBoosters();

    private static Dictionary<string, double> BuildBoosters()
    {
        var boosters = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var w in new[]
        {
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly", "deeply",
            "effing", "enormous", "enormously", "entirely", "especially", "exceptional", "exceptionally", "extreme",
            "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking", "fricking", "frickin", "frigging",
            "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely",
            "incredible", "incredibly", "intensely", "major", "majorly", "more", "most", "particularly", "purely",
            "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally", "tremendous",
            "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very",
        }) boosters[w] = BoosterIncrement;
        foreach (var w in new[]
        {
            "almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of", "less", "little",
            "marginal", "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely", "slight",
            "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of",
        }) boosters[w] = BoosterDecrement;
        return boosters;
    }

    private static readonly Dictionary<string, double> SpecialCases = new(StringComparer.Ordinal)
    {
        ["the shit"] = 3, ["the bomb"] = 3, ["bad ass"] = 1.5, ["badass"] = 1.5, ["bus stop"] = 0.0,
        ["yeah right"] = -2, ["kiss of death"] = -1.5, ["to die for"] = 3,
        ["beating heart"] = 3.1, ["broken heart"] = -2.9,
    };

    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private readonly Dictionary<string, double> _lexicon;

    /// <summary>Loads the lexicon from <paramref name="lexiconPath"/> (tab-separated token, mean valence, std, ratings).</summary>
    public VaderReward(string lexiconPath) => _lexicon = LexiconFiles.ReadValences(lexiconPath, 2);

    /// <summary>The lexicon from the assets folder (see <see cref="AssetLocator"/>).</summary>
    public static VaderReward FromAssets(string? assetsFolder = null) => new(AssetLocator.Require(AssetPath, assetsFolder));

    /// <inheritdoc />
    public string Name => "vader";

    /// <summary>The compound score in [−1, 1].</summary>
    public double Score(string text) => PolarityScores(text).Compound;

    /// <summary>x / √(x² + α), clamped to [−1, 1].</summary>
    public static double Normalize(double score, double alpha = Alpha) =>
        Math.Clamp(score / Math.Sqrt(score * score + alpha), -1.0, 1.0);

    /// <summary>The words and emoticons VADER scores: whitespace-split, punctuation stripped from words.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(StripPunctuationIfWord).ToArray();
    }

    private static string StripPunctuationIfWord(string token)
    {
        var stripped = token.Trim(AsciiPunctuation.ToCharArray());
        return stripped.Length <= 2 ? token : stripped;
    }

    /// <summary>Python's <c>str.isupper</c>: some cased character, and no lower-case one.</summary>
    private static bool IsUpper(string word)
    {
        var cased = false;
        foreach (var c in word)
        {
            if (char.IsLower(c)) return false;
            if (char.IsUpper(c)) cased = true;
        }
        return cased;
    }

    /// <summary>VADER's negative, neutral, positive proportions and compound score of <paramref name="text"/>.</summary>
    public VaderScores PolarityScores(string text)
    {
        var words = Tokenize(text.Trim());
        var lower = words.Select(w => w.ToLowerInvariant()).ToArray();
        var upperCount = words.Count(IsUpper);
        var isCapDifferential = upperCount > 0 && upperCount < words.Count;

        var sentiments = new List<double>(words.Count);
        for (var i = 0; i < words.Count; i++)
        {
            if (Boosters.ContainsKey(lower[i]) ||
                (i < words.Count - 1 && lower[i] == "kind" && lower[i + 1] == "of"))
            {
                sentiments.Add(0);
                continue;
            }
            sentiments.Add(SentimentValence(words, lower, i, isCapDifferential));
        }

        ButCheck(lower, sentiments);
        return ScoreValence(sentiments, text);
    }

    private double SentimentValence(IReadOnlyList<string> words, string[] lower, int i, bool isCapDifferential)
    {
        if (!_lexicon.TryGetValue(lower[i], out var lexical)) return 0;
        var valence = lexical;

        // "no" as a negation of the next lexicon word rather than a sentiment word of its own.
        if (lower[i] == "no" && i != words.Count - 1 && _lexicon.ContainsKey(lower[i + 1]))
            valence = 0.0;
        if ((i > 0 && lower[i - 1] == "no") ||
            (i > 1 && lower[i - 2] == "no") ||
            (i > 2 && lower[i - 3] == "no" && lower[i - 1] is "or" or "nor"))
            valence = lexical * NegationScalar;

        if (IsUpper(words[i]) && isCapDifferential)
            valence += valence > 0 ? CapsIncrement : -CapsIncrement;

        for (var startI = 0; startI < 3; startI++)
        {
            var j = i - (startI + 1);
            if (i <= startI || _lexicon.ContainsKey(lower[j])) continue;
            var s = ScalarIncDec(words[j], lower[j], valence, isCapDifferential);
            if (startI == 1 && s != 0) s *= 0.95;
            if (startI == 2 && s != 0) s *= 0.9;
            valence += s;
            valence = NegationCheck(valence, lower, startI, i);
            if (startI == 2) valence = SpecialIdiomsCheck(valence, lower, i);
        }

        return LeastCheck(valence, lower, i);
    }

    private static double ScalarIncDec(string word, string wordLower, double valence, bool isCapDifferential)
    {
        if (!Boosters.TryGetValue(wordLower, out var scalar)) return 0.0;
        if (valence < 0) scalar *= -1;
        if (IsUpper(word) && isCapDifferential)
            scalar += valence > 0 ? CapsIncrement : -CapsIncrement;
        return scalar;
    }

    private static bool Negated(string wordLower) => Negations.Contains(wordLower) || wordLower.Contains("n't", StringComparison.Ordinal);

    private static double NegationCheck(double valence, string[] w, int startI, int i)
    {
        switch (startI)
        {
            case 0:
                if (Negated(w[i - 1])) valence *= NegationScalar;
                break;
            case 1:
                if (w[i - 2] == "never" && w[i - 1] is "so" or "this") valence *= 1.25;
                else if (w[i - 2] == "without" && w[i - 1] == "doubt") { }
                else if (Negated(w[i - 2])) valence *= NegationScalar;
                break;
            case 2:
                // As in the reference: "never so/this …" or "… so/this" right before the word intensifies.
                if ((w[i - 3] == "never" && w[i - 2] is "so" or "this") || w[i - 1] is "so" or "this") valence *= 1.25;
                else if (w[i - 3] == "without" && (w[i - 2] == "doubt" || w[i - 1] == "doubt")) { }
                else if (Negated(w[i - 3])) valence *= NegationScalar;
                break;
        }
        return valence;
    }

    private static double SpecialIdiomsCheck(double valence, string[] w, int i)
    {
        var oneZero = $"{w[i - 1]} {w[i]}";
        var twoOneZero = $"{w[i - 2]} {w[i - 1]} {w[i]}";
        var twoOne = $"{w[i - 2]} {w[i - 1]}";
        var threeTwoOne = $"{w[i - 3]} {w[i - 2]} {w[i - 1]}";
        var threeTwo = $"{w[i - 3]} {w[i - 2]}";
        foreach (var sequence in new[] { oneZero, twoOneZero, twoOne, threeTwoOne, threeTwo })
        {
            if (SpecialCases.TryGetValue(sequence, out var special))
            {
                valence = special;
                break;
            }
        }
        if (w.Length - 1 > i && SpecialCases.TryGetValue($"{w[i]} {w[i + 1]}", out var zeroOne)) valence = zeroOne;
        if (w.Length - 1 > i + 1 && SpecialCases.TryGetValue($"{w[i]} {w[i + 1]} {w[i + 2]}", out var zeroOneTwo)) valence = zeroOneTwo;

        // Booster/dampener n-grams such as "kind of" and "sort of" before the word.
        foreach (var nGram in new[] { threeTwoOne, threeTwo, twoOne })
            if (Boosters.TryGetValue(nGram, out var boost)) valence += boost;
        return valence;
    }

    private double LeastCheck(double valence, string[] w, int i)
    {
        if (i > 1 && !_lexicon.ContainsKey(w[i - 1]) && w[i - 1] == "least")
        {
            if (w[i - 2] != "at" && w[i - 2] != "very") valence *= NegationScalar;
        }
        else if (i > 0 && !_lexicon.ContainsKey(w[i - 1]) && w[i - 1] == "least")
        {
            valence *= NegationScalar;
        }
        return valence;
    }

    private static void ButCheck(string[] lower, List<double> sentiments)
    {
        var but = Array.IndexOf(lower, "but");
        if (but < 0) return;
        for (var k = 0; k < sentiments.Count; k++)
        {
            if (k < but) sentiments[k] *= 0.5;
            else if (k > but) sentiments[k] *= 1.5;
        }
    }

    private static double PunctuationEmphasis(string text)
    {
        var exclamations = Math.Min(text.Count(c => c == '!'), 4);
        var questions = text.Count(c => c == '?');
        var questionAmplifier = questions > 1 ? (questions <= 3 ? questions * 0.18 : 0.96) : 0.0;
        return exclamations * 0.292 + questionAmplifier;
    }

    private static VaderScores ScoreValence(List<double> sentiments, string text)
    {
        if (sentiments.Count == 0) return new VaderScores(0, 0, 0, 0);
        var sum = sentiments.Sum();
        var emphasis = PunctuationEmphasis(text);
        if (sum > 0) sum += emphasis;
        else if (sum < 0) sum -= emphasis;
        var compound = Normalize(sum);

        double positive = 0, negative = 0;
        var neutral = 0;
        foreach (var s in sentiments)
        {
            if (s > 0) positive += s + 1; // +1 compensates for neutral words counted as 1
            if (s < 0) negative += s - 1;
            if (s == 0) neutral++;
        }
        if (positive > Math.Abs(negative)) positive += emphasis;
        else if (positive < Math.Abs(negative)) negative -= emphasis;

        var total = positive + Math.Abs(negative) + neutral;
        return new VaderScores(Math.Abs(negative / total), Math.Abs(neutral / total), Math.Abs(positive / total), compound);
    }
}
