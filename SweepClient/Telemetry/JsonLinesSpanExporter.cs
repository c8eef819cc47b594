using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;

namespace RiskAlign.SweepClient.Telemetry;

/// <summary>
/// Writes every finished span as one JSON line (trace and span ids, parent, name, start, duration, tags) to
/// <c>trace.jsonl</c> in the run's output folder, so two runs can be compared span by span without a collector.
/// </summary>
public sealed class JsonLinesSpanExporter(string path) : BaseExporter<Activity>
{
    private readonly object _gate = new();
    private readonly StreamWriter _writer = new(path, append: false) { AutoFlush = true };

    public override ExportResult Export(in Batch<Activity> batch)
    {
        lock (_gate)
        {
            foreach (var activity in batch)
            {
                var line = new Dictionary<string, object?>
                {
                    ["trace_id"] = activity.TraceId.ToHexString(),
                    ["span_id"] = activity.SpanId.ToHexString(),
                    ["parent_span_id"] = activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
                    ["name"] = activity.DisplayName,
                    ["source"] = activity.Source.Name,
                    ["start"] = activity.StartTimeUtc.ToString("O"),
                    ["duration_ms"] = activity.Duration.TotalMilliseconds,
                    ["status"] = activity.Status.ToString(),
                    ["tags"] = activity.TagObjects.ToDictionary(t => t.Key, t => t.Value?.ToString()),
                };
                if (activity.Events.Any())
                    line["events"] = activity.Events.Select(e => new Dictionary<string, object?>
                    {
                        ["name"] = e.Name,
                        ["time"] = e.Timestamp.UtcDateTime.ToString("O"),
                        ["tags"] = e.Tags.ToDictionary(t => t.Key, t => t.Value?.ToString()),
                    }).ToArray();
                _writer.WriteLine(JsonSerializer.Serialize(line));
            }
        }
        return ExportResult.Success;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _writer.Dispose();
        base.Dispose(disposing);
    }
}
