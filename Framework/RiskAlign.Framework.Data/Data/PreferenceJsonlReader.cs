namespace RiskAlign.Framework.Data;

/// <summary>
/// Reads RiskAlign's own preference format: JSON lines (plain or gzip), one object a line with three string
/// fields, <c>{"prompt": "...", "chosen": "...", "rejected": "..."}</c>.
/// </summary>
/// <remarks>
/// <para>Format, for users bringing their own data:</para>
/// <list type="bullet">
/// <item>UTF-8 text, one JSON object a line; a file starting with the gzip magic bytes is decompressed.</item>
/// <item><c>prompt</c>, <c>chosen</c>, <c>rejected</c>: strings, all required; other fields are ignored.</item>
/// <item>The responses are the exact text that follows the prompt (<c>prompt + chosen</c> is what the model
/// sees), so include any separator (space, newline, chat-template tokens) yourself.</item>
/// <item>Whitespace-only lines are skipped (counted in <see cref="PreferenceReadStatistics.BlankLines"/>).</item>
/// <item>Pairs whose <c>chosen</c> and <c>rejected</c> are identical are dropped and counted.</item>
/// <item>Anything else (invalid JSON, a missing or non-string field) stops reading with a
/// <see cref="DatasetFormatException"/> naming file and line.</item>
/// </list>
/// Example line: <c>{"prompt": "Q: 2+2?\nA:", "chosen": " 4", "rejected": " 5"}</c>
/// </remarks>
public sealed class PreferenceJsonlReader : LineDatasetReader<TextPreferencePair>, IPreferencePairReader
{
    /// <summary>Reads one file.</summary>
    public PreferenceJsonlReader(string file) : this([file]) { }

    /// <summary>Reads the files in the order given.</summary>
    public PreferenceJsonlReader(IEnumerable<string> files) : base(files) { }

    /// <summary>Counts of the latest (or current) enumeration.</summary>
    public PreferenceReadStatistics Statistics { get; } = new();

    /// <inheritdoc />
    protected override void OnStart() => Statistics.Reset();

    /// <inheritdoc />
    protected override void OnBlankLine(string file, long line) => Statistics.BlankLines++;

    /// <inheritdoc />
    protected override bool TryParse(string file, long line, string text, out TextPreferencePair record)
    {
        using var document = DatasetFiles.ParseObject(file, line, text);
        var root = document.RootElement;
        record = new TextPreferencePair(
            DatasetFiles.RequireString(root, "prompt", file, line),
            DatasetFiles.RequireString(root, "chosen", file, line),
            DatasetFiles.RequireString(root, "rejected", file, line));
        Statistics.Read++;
        if (string.Equals(record.Chosen, record.Rejected, StringComparison.Ordinal))
        {
            Statistics.DroppedIdentical++;
            return false;
        }
        Statistics.Kept++;
        return true;
    }
}
