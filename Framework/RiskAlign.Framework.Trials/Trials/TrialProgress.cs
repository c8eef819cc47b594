namespace RiskAlign.Framework.Trials;

/// <summary>A progress report of a running trial.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Loss">Training objective at this step.</param>
public sealed record TrialProgress(int Step, int TotalSteps, double Loss);
