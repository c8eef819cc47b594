namespace RiskAlign.Silo.Grains;

/// <summary>The state of a sweep as a client polls it.</summary>
[GenerateSerializer, Immutable]
public sealed class SweepSnapshot
{
    [Id(0)] public required string SweepId { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required SweepStatus Status { get; init; }
    [Id(3)] public required IReadOnlyList<TrialSnapshot> Trials { get; init; }
    /// <summary>Indices of the trials on the overall drift-vs-reward front, so far.</summary>
    [Id(4)] public IReadOnlyList<int> FrontIndices { get; init; } = [];
    /// <summary>Hypervolume of the overall front, so far (NaN with fewer than one finished trial).</summary>
    [Id(5)] public double Hypervolume { get; init; } = double.NaN;
    /// <summary>Trials the sweep will have run in all: <see cref="Trials"/> plus what its search has yet to propose.</summary>
    [Id(6)] public int PlannedTrials { get; init; }

    public int Finished => Trials.Count(t => t.Result is not null);
}
