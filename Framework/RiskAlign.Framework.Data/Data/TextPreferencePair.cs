namespace RiskAlign.Framework.Data;

/// <summary>
/// A preference pair as text, before tokenization: the prompt and the two responses that continue it.
/// <c>Prompt + Chosen</c> and <c>Prompt + Rejected</c> are the full transcripts (for HH-RLHF exactly the
/// original strings; the responses keep their leading space after <c>"Assistant:"</c>).
/// </summary>
public sealed record TextPreferencePair(string Prompt, string Chosen, string Rejected);
