namespace RiskAlign.Silo.Grains;

/// <summary>Answer to <see cref="ISweepGrain.Start"/>.</summary>
[GenerateSerializer, Immutable]
public sealed class SweepStarted
{
    [Id(0)] public required string SweepId { get; init; }
    [Id(1)] public required int TrialCount { get; init; }
    [Id(2)] public required int MaxConcurrentTrials { get; init; }
}
