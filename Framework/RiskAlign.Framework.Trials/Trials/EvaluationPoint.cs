namespace RiskAlign.Framework.Trials;

/// <summary>Metrics measured at one evaluation step, by name (TRL names: <c>rewards/accuracies</c>, ...; plus
/// <c>kl/seq_chosen</c>, <c>kl/seq_rejected</c> and the task's own, such as <c>reward/true</c> and <c>kl/true</c>).</summary>
public sealed record EvaluationPoint(int Step, IReadOnlyDictionary<string, double> Metrics);
