namespace RiskAlign.Framework.Rewards;

/// <summary>
/// VADER's scores of one text, unrounded: the proportions of negative, neutral and positive lexical items and
/// the normalised compound score in [−1, 1] (vaderSentiment prints them rounded to 3 and 4 decimals).
/// </summary>
public sealed record VaderScores(double Negative, double Neutral, double Positive, double Compound);
