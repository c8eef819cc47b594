namespace RiskAlign.Framework.Trials;

/// <summary>A progress report of a running trial.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Loss">Training objective at this step.</param>
public sealed record TrialProgress(int Step, int TotalSteps, double Loss)
{
    /// <summary>The task's drift measured by an evaluation at <see cref="Step"/>, when this report follows one (early
    /// stopping judges trials at their evaluation checkpoints on it); null on plain step reports.</summary>
    public double? EvaluatedDrift { get; init; }
    /// <summary>The task's reward measured with <see cref="EvaluatedDrift"/>; null on plain step reports.</summary>
    public double? EvaluatedReward { get; init; }
}
