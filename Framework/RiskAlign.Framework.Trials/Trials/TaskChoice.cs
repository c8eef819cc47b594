namespace RiskAlign.Framework.Trials;

/// <summary>The task a trial trains on (for example <c>synthetic</c>) and its settings as a JSON object. In a spec they
/// are what the user wrote; in a trial (after the planner) every key with its value, as the task's settings record
/// serializes them, so equal text means equal settings.</summary>
public sealed record TaskChoice(string Name, string Settings = "{}");
