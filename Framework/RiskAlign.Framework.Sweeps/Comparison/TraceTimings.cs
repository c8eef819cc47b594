using System.Text.Json;
using RiskAlign.Framework.Telemetry;

namespace RiskAlign.Framework.Comparison;

/// <summary>Reads <c>trace.jsonl</c> (one span a line: trace_id, span_id, parent_span_id, name, duration_ms, tags;
/// see the client's JsonLinesSpanExporter) into per-trial timings, keyed by trial id.</summary>
public static class TraceTimings
{
    private sealed record Span(string TraceId, string SpanId, string? Parent, string Name, double DurationMs, string? TrialId);

    /// <exception cref="ComparisonInputException">A line is not a span (names file and line).</exception>
    public static IReadOnlyDictionary<string, TrialTimings> Read(string path)
    {
        var spans = new List<Span>();
        long number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                string? trialId = root.TryGetProperty("tags", out var tags) && tags.ValueKind == JsonValueKind.Object
                    && tags.TryGetProperty(RiskAlignTelemetry.Tags.TrialId, out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
                spans.Add(new Span(root.GetProperty("trace_id").GetString()!, root.GetProperty("span_id").GetString()!,
                    root.TryGetProperty("parent_span_id", out var parent) && parent.ValueKind == JsonValueKind.String ? parent.GetString() : null,
                    root.GetProperty("name").GetString()!, root.GetProperty("duration_ms").GetDouble(), trialId));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new ComparisonInputException($"{path}:{number}: not a span line (expected JSON with trace_id, span_id, name, duration_ms): {e.Message}", e);
            }
        }
        var children = spans.Where(s => s.Parent is not null).ToLookup(s => (s.TraceId, s.Parent!));
        var timings = new Dictionary<string, TrialTimings>(StringComparer.Ordinal);
        foreach (var trial in spans.Where(s => s.Name == RiskAlignTelemetry.Spans.Trial && s.TrialId is not null))
        {
            var below = Descendants(trial, children).ToList();
            double Sum(string name) => below.Where(s => s.Name == name).Select(s => s.DurationMs).DefaultIfEmpty(double.NaN).Sum();
            timings[trial.TrialId!] = new TrialTimings(trial.TraceId, trial.SpanId, trial.DurationMs,
                Sum(RiskAlignTelemetry.Spans.TaskBuild), Sum(RiskAlignTelemetry.Spans.Train), Sum(RiskAlignTelemetry.Spans.Eval));
        }
        return timings;
    }

    private static IEnumerable<Span> Descendants(Span root, ILookup<(string, string), Span> children)
    {
        var stack = new Stack<Span>([root]);
        while (stack.Count > 0)
        {
            var span = stack.Pop();
            foreach (var child in children[(span.TraceId, span.SpanId)])
            {
                yield return child;
                stack.Push(child);
            }
        }
    }
}
