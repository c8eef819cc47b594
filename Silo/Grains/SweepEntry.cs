namespace RiskAlign.Silo.Grains;

/// <summary>A sweep as the registry lists it.</summary>
[GenerateSerializer, Immutable]
public sealed record SweepEntry
{
    [Id(0)] public required string SweepId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required DateTime StartedUtc { get; init; }
    [Id(3)] public required int TrialCount { get; init; }
}
