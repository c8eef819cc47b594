using System.Diagnostics;
using OpenTelemetry;
using RiskAlign.Framework.Telemetry;

namespace RiskAlign.SweepClient.Telemetry;

/// <summary>
/// Writes every finished span as one JSON line (<see cref="SpanJsonLines"/>: trace and span ids, parent, name, start,
/// duration, tags) to <c>trace.jsonl</c> in the run's output folder, so two runs can be compared span by span without
/// a collector.
/// </summary>
public sealed class JsonLinesSpanExporter(string path) : BaseExporter<Activity>
{
    private readonly object _gate = new();
    private readonly StreamWriter _writer = new(path, append: false) { AutoFlush = true };

    public override ExportResult Export(in Batch<Activity> batch)
    {
        lock (_gate)
        {
            foreach (var activity in batch) _writer.WriteLine(SpanJsonLines.Format(SpanRecord.From(activity)));
        }
        return ExportResult.Success;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _writer.Dispose();
        base.Dispose(disposing);
    }
}
