using System.Text.Json;

namespace RiskAlign.Framework.Telemetry;

/// <summary>
/// The <c>trace.jsonl</c> format: one span a line with trace_id, span_id, parent_span_id, name, source, start,
/// duration_ms, status, tags and (when any) events. Written by the client's span exporter during <c>run</c> and by
/// <c>results</c> from the spans the cluster stored; read by <c>compare</c>.
/// </summary>
public static class SpanJsonLines
{
    /// <summary>One line, without the line break.</summary>
    public static string Format(SpanRecord span)
    {
        var line = new Dictionary<string, object?>
        {
            ["trace_id"] = span.TraceId,
            ["span_id"] = span.SpanId,
            ["parent_span_id"] = span.ParentSpanId,
            ["name"] = span.Name,
            ["source"] = span.Source,
            ["start"] = span.StartUtc.ToString("O"),
            ["duration_ms"] = span.DurationMs,
            ["status"] = span.Status,
            ["tags"] = span.Tags,
        };
        if (span.Events.Count > 0)
            line["events"] = span.Events.Select(e => new Dictionary<string, object?>
            {
                ["name"] = e.Name,
                ["time"] = e.TimeUtc.ToString("O"),
                ["tags"] = e.Tags,
            }).ToArray();
        return JsonSerializer.Serialize(line);
    }

    /// <summary>Writes <paramref name="spans"/> to <paramref name="path"/>, replacing it.</summary>
    public static void Write(string path, IEnumerable<SpanRecord> spans)
    {
        using var writer = new StreamWriter(path, append: false);
        foreach (var span in spans) writer.WriteLine(Format(span));
    }
}
