namespace RiskAlign.Silo.Grains;

/// <summary>What a trial grain answers when its sweep asks after a trial that has gone quiet
/// (<see cref="ITrialGrain.Check"/>). Neither running nor finished: this activation holds no run of the trial (the
/// activation that ran it is gone), so the sweep counts the attempt as lost.</summary>
[GenerateSerializer, Immutable]
public sealed class TrialCheck
{
    /// <summary>A run is queued for a slot or training here.</summary>
    [Id(0)] public bool Running { get; init; }
    /// <summary>The result of the last run here, kept whether or not it reached the sweep.</summary>
    [Id(1)] public TrialResult? Result { get; init; }
}
