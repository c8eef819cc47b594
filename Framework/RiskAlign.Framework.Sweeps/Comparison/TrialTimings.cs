namespace RiskAlign.Framework.Comparison;

/// <summary>Where one trial's time went, from its spans in <c>trace.jsonl</c>: the trial span and the sums of its
/// task-build, train and eval descendants (milliseconds; NaN when the trace has no such span).</summary>
public sealed record TrialTimings(string TraceId, string SpanId, double TrialMs, double TaskBuildMs, double TrainMs, double EvalMs);
