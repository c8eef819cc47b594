using System.Text.RegularExpressions;
using RiskAlign.Framework.Assets;

namespace RiskAlign.Framework.Rewards;

/// <summary>
/// AFINN-165 sentiment (Nielsen 2011; 3,382 entries valued −5..5): the sum of the valences of the words found.
/// </summary>
/// <remarks>
/// Tokenisation: the text is lower-cased (invariant culture), typographic apostrophes become <c>'</c>, and words
/// are the maximal runs of letters and digits, joined by inner apostrophes or hyphens
/// (<c>[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*</c>, so <c>can't</c>, <c>self-confident</c> and <c>naïve</c> are one word).
/// Multi-word entries (<c>does not work</c>, <c>can't stand</c>) are matched first, longest first, left to right,
/// on consecutive words; a matched phrase's words are not counted again. A hyphenated word absent from the list
/// is scored as the sum of its parts. Unknown words score 0. No negation or intensifier rules (see
/// <see cref="VaderReward"/> for those).
/// </remarks>
public sealed partial class AfinnReward : ITextReward
{
    /// <summary>Path of the list under the assets folder.</summary>
    public const string AssetPath = "lexicons/AFINN-en-165.txt";

    private readonly Dictionary<string, double> _lexicon;
    private readonly int _longestPhrase;

    /// <summary>Loads the list from <paramref name="lexiconPath"/> (tab-separated <c>word valence</c> lines).</summary>
    public AfinnReward(string lexiconPath)
    {
        _lexicon = LexiconFiles.ReadValences(lexiconPath, 2);
        _longestPhrase = _lexicon.Keys.Max(k => k.Count(c => c == ' ') + 1);
    }

    /// <summary>The list from the assets folder (see <see cref="AssetLocator"/>).</summary>
    public static AfinnReward FromAssets(string? assetsFolder = null) => new(AssetLocator.Require(AssetPath, assetsFolder));

    /// <inheritdoc />
    public string Name => "afinn";

    /// <summary>Number of entries in the list.</summary>
    public int Count => _lexicon.Count;

    /// <summary>The valence of one entry (a word or space-separated phrase), or null.</summary>
    public double? Valence(string entry) => _lexicon.TryGetValue(entry, out var v) ? v : null;

    /// <summary>The words of <paramref name="text"/> as this scorer sees them.</summary>
    public static IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalised = text.ToLowerInvariant().Replace('\u2019', '\'').Replace('\u2018', '\'');
        return WordPattern().Matches(normalised).Select(m => m.Value).ToArray();
    }

    /// <inheritdoc />
    public double Score(string text)
    {
        var words = Tokenize(text);
        var total = 0.0;
        for (var i = 0; i < words.Count;)
        {
            var matched = false;
            for (var n = Math.Min(_longestPhrase, words.Count - i); n >= 2 && !matched; n--)
            {
                if (_lexicon.TryGetValue(string.Join(' ', words.Skip(i).Take(n)), out var phrase))
                {
                    total += phrase;
                    i += n;
                    matched = true;
                }
            }
            if (matched) continue;
            var word = words[i++];
            if (_lexicon.TryGetValue(word, out var valence)) total += valence;
            else if (word.Contains('-'))
                foreach (var part in word.Split('-'))
                    if (_lexicon.TryGetValue(part, out var partValence)) total += partValence;
        }
        return total;
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();
}
