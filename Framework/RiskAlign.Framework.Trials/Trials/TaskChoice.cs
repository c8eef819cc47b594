namespace RiskAlign.Framework.Trials;

/// <summary>The task a trial trains on (for example <c>synthetic</c>) and its settings, as invariant-culture text.</summary>
public sealed record TaskChoice(string Name, IReadOnlyDictionary<string, string> Settings);
