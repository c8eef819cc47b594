namespace RiskAlign.Framework.Data;

/// <summary>A prompt with a preferred and a dispreferred response, as token ids (no padding).</summary>
public sealed record PreferencePair(int[] Prompt, int[] Chosen, int[] Rejected);
