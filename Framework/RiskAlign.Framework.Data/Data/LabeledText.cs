namespace RiskAlign.Framework.Data;

/// <summary>A text with a class label (for example IMDb 0 = negative, 1 = positive).</summary>
public sealed record LabeledText(string Text, int Label);
