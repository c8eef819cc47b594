using RiskAlign.Framework.Assets;

namespace RiskAlign.Framework.Data;

/// <summary>
/// Reads Anthropic HH-RLHF JSON lines (plain or gzip): one object a line,
/// <c>{"chosen": "\n\nHuman: ...\n\nAssistant: ...", "rejected": "..."}</c>.
/// </summary>
/// <remarks>
/// Each pair is split into the prompt (everything up to and including the last <c>"\n\nAssistant:"</c>) and the
/// two responses (everything after it, leading space kept, so <c>Prompt + Chosen</c> is the original transcript).
/// The prompt must be shared: the split point is the last <c>"\n\nAssistant:"</c> that lies inside the text both
/// transcripts have in common. For nearly every pair this is each transcript's own last <c>"\n\nAssistant:"</c>;
/// the few pairs where a response itself contains <c>"\n\nAssistant:"</c> or <c>"Human:"</c> (17 in the four test
/// splits) are counted in <see cref="PreferenceReadStatistics.SplitAtSharedPrefix"/>. A pair whose shared text
/// holds no <c>"\n\nAssistant:"</c> is malformed. Pairs with identical responses are dropped and counted.
/// </remarks>
public sealed class HhRlhfReader : LineDatasetReader<TextPreferencePair>, IPreferencePairReader
{
    /// <summary>The marker that ends a prompt.</summary>
    public const string AssistantMarker = "\n\nAssistant:";

    /// <summary>The four HH-RLHF test splits under the assets folder's <c>hh-rlhf/</c>.</summary>
    public static readonly IReadOnlyList<string> TestSplitFiles =
    [
        "hh-rlhf/harmless-base-test.jsonl.gz",
        "hh-rlhf/helpful-base-test.jsonl.gz",
        "hh-rlhf/helpful-online-test.jsonl.gz",
        "hh-rlhf/helpful-rejection-sampled-test.jsonl.gz",
    ];

    /// <summary>Reads one file.</summary>
    public HhRlhfReader(string file) : this([file]) { }

    /// <summary>Reads the files in the order given.</summary>
    public HhRlhfReader(IEnumerable<string> files) : base(files) { }

    /// <summary>A reader over all four test splits in the assets folder (see <see cref="AssetLocator"/>).</summary>
    public static HhRlhfReader TestSplits(string? assetsFolder = null) =>
        new(TestSplitFiles.Select(f => AssetLocator.Require(f, assetsFolder)));

    /// <summary>Counts of the latest (or current) enumeration.</summary>
    public PreferenceReadStatistics Statistics { get; } = new();

    /// <summary>
    /// Splits a pair of transcripts at the last <c>"\n\nAssistant:"</c> inside their common prefix; null when the
    /// common prefix holds none. <paramref name="agreesWithOwnSplits"/> tells whether that equals splitting each
    /// transcript at its own last marker.
    /// </summary>
    public static TextPreferencePair? SplitPair(string chosen, string rejected, out bool agreesWithOwnSplits)
    {
        var common = 0;
        var limit = Math.Min(chosen.Length, rejected.Length);
        while (common < limit && chosen[common] == rejected[common]) common++;
        // The marker must end within the shared text: search the shared prefix only.
        var at = common == 0 ? -1 : chosen.LastIndexOf(AssistantMarker, common - 1, common, StringComparison.Ordinal);
        if (at < 0)
        {
            agreesWithOwnSplits = false;
            return null;
        }
        var end = at + AssistantMarker.Length;
        agreesWithOwnSplits =
            chosen.LastIndexOf(AssistantMarker, StringComparison.Ordinal) == at &&
            rejected.LastIndexOf(AssistantMarker, StringComparison.Ordinal) == at;
        return new TextPreferencePair(chosen[..end], chosen[end..], rejected[end..]);
    }

    /// <inheritdoc />
    protected override void OnStart() => Statistics.Reset();

    /// <inheritdoc />
    protected override void OnBlankLine(string file, long line) => Statistics.BlankLines++;

    /// <inheritdoc />
    protected override bool TryParse(string file, long line, string text, out TextPreferencePair record)
    {
        using var document = DatasetFiles.ParseObject(file, line, text);
        var root = document.RootElement;
        var chosen = DatasetFiles.RequireString(root, "chosen", file, line);
        var rejected = DatasetFiles.RequireString(root, "rejected", file, line);
        Statistics.Read++;
        var pair = SplitPair(chosen, rejected, out var agrees)
            ?? throw new DatasetFormatException(file, line,
                "expected 'chosen' and 'rejected' to share a prompt ending in \"\\n\\nAssistant:\" (no such marker in their common beginning)");
        if (!agrees) Statistics.SplitAtSharedPrefix++;
        record = pair;
        if (string.Equals(pair.Chosen, pair.Rejected, StringComparison.Ordinal))
        {
            Statistics.DroppedIdentical++;
            return false;
        }
        Statistics.Kept++;
        return true;
    }
}
