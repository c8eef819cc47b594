namespace RiskAlign.Framework.Reports;

/// <summary>One point of a group's curve: the mean, minimum and maximum over the seeds that have a finite value at
/// <paramref name="X"/>, and how many those are.</summary>
public sealed record CurvePoint(double X, double Mean, double Min, double Max, int Seeds);
