namespace RiskAlign.Framework.Telemetry;

/// <summary>An event of a <see cref="SpanRecord"/>: its name, when it happened (UTC) and its attributes as text.</summary>
public sealed record SpanEventRecord(string Name, DateTime TimeUtc, IReadOnlyDictionary<string, string?> Tags);
