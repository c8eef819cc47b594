using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Grains;

/// <summary>What a sweep grain persists: the spec, its trials and every finished result, so that nothing
/// finished is lost if the grain or its silo goes away.</summary>
[GenerateSerializer]
public sealed class SweepState
{
    [Id(0)] public string SpecJson { get; set; } = "";
    [Id(1)] public string SourceName { get; set; } = "";
    [Id(2)] public string Name { get; set; } = "";
    [Id(3)] public SweepStatus Status { get; set; } = SweepStatus.NotStarted;
    [Id(4)] public List<TrialDefinition> Trials { get; set; } = [];
    [Id(5)] public List<TrialStatus> Statuses { get; set; } = [];
    [Id(6)] public List<TrialResult?> Results { get; set; } = [];
    [Id(7)] public int MaxConcurrentTrials { get; set; } = 1;
    [Id(8)] public string? TraceParent { get; set; }
}
