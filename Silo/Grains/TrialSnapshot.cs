namespace RiskAlign.Silo.Grains;

/// <summary>One trial as the sweep sees it now.</summary>
[GenerateSerializer, Immutable]
public sealed class TrialSnapshot
{
    [Id(0)] public required TrialDefinition Trial { get; init; }
    [Id(1)] public required TrialStatus Status { get; init; }
    /// <summary>Latest progress while running.</summary>
    [Id(2)] public TrialProgress? Progress { get; init; }
    /// <summary>The result once finished.</summary>
    [Id(3)] public TrialResult? Result { get; init; }
}
