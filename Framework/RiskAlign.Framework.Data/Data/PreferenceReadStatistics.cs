namespace RiskAlign.Framework.Data;

/// <summary>
/// Counts kept by a preference reader during its latest enumeration (reset when an enumeration starts,
/// updated as records stream): <c>Read = Kept + DroppedIdentical</c>.
/// </summary>
public sealed class PreferenceReadStatistics
{
    /// <summary>Records parsed (blank lines are not records).</summary>
    public long Read { get; internal set; }

    /// <summary>Records yielded.</summary>
    public long Kept { get; internal set; }

    /// <summary>Records dropped because chosen and rejected responses are the same text.</summary>
    public long DroppedIdentical { get; internal set; }

    /// <summary>Whitespace-only lines skipped.</summary>
    public long BlankLines { get; internal set; }

    /// <summary>
    /// HH-RLHF only: pairs whose transcripts, each split at its own last <c>"\n\nAssistant:"</c>, give different
    /// prompts (a response that itself contains <c>"\n\nAssistant:"</c> or <c>"Human:"</c>); these are split at
    /// the last <c>"\n\nAssistant:"</c> inside the text both transcripts share, and kept.
    /// </summary>
    public long SplitAtSharedPrefix { get; internal set; }

    internal void Reset()
    {
        Read = Kept = DroppedIdentical = BlankLines = SplitAtSharedPrefix = 0;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"read {Read}, kept {Kept}, dropped identical {DroppedIdentical}, blank lines {BlankLines}, split at shared prefix {SplitAtSharedPrefix}";
}
