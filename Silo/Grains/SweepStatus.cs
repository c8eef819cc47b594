namespace RiskAlign.Silo.Grains;

/// <summary>Where a sweep is.</summary>
public enum SweepStatus
{
    NotStarted,
    Running,
    Completed,
    Cancelled,
}
