using System.Diagnostics;

namespace RiskAlign.Framework.Telemetry;

/// <summary>
/// A finished span as plain data, so it can travel with a trial's result from the silo that ran it to the sweep's
/// storage and on to any client: <c>results ID</c> writes these as <c>trace.jsonl</c> (<see cref="SpanJsonLines"/>),
/// the same lines <c>run</c>'s exporter writes.
/// </summary>
public sealed record SpanRecord
{
    /// <summary>W3C trace id, 32 hex digits.</summary>
    public required string TraceId { get; init; }
    /// <summary>Span id, 16 hex digits.</summary>
    public required string SpanId { get; init; }
    /// <summary>The parent's span id, or null for a root span.</summary>
    public string? ParentSpanId { get; init; }
    public required string Name { get; init; }
    /// <summary>Name of the activity source that created it.</summary>
    public string Source { get; init; } = "";
    public required DateTime StartUtc { get; init; }
    public required double DurationMs { get; init; }
    /// <summary><see cref="ActivityStatusCode"/> as text: Unset, Ok or Error.</summary>
    public string Status { get; init; } = nameof(ActivityStatusCode.Unset);
    public IReadOnlyDictionary<string, string?> Tags { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyList<SpanEventRecord> Events { get; init; } = [];

    /// <summary>The record of a stopped activity.</summary>
    public static SpanRecord From(Activity activity) => new()
    {
        TraceId = activity.TraceId.ToHexString(),
        SpanId = activity.SpanId.ToHexString(),
        ParentSpanId = activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
        Name = activity.DisplayName,
        Source = activity.Source.Name,
        StartUtc = activity.StartTimeUtc,
        DurationMs = activity.Duration.TotalMilliseconds,
        Status = activity.Status.ToString(),
        Tags = TextOf(activity.TagObjects),
        Events = [.. activity.Events.Select(e => new SpanEventRecord(e.Name, e.Timestamp.UtcDateTime, TextOf(e.Tags)))],
    };

    // Last value wins when a tag was added twice.
    private static Dictionary<string, string?> TextOf(IEnumerable<KeyValuePair<string, object?>> tags)
    {
        var text = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in tags) text[key] = value?.ToString();
        return text;
    }
}
