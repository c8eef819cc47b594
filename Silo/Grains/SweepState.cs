using RiskAlign.Framework.Sweeps;

namespace RiskAlign.Silo.Grains;

/// <summary>What a sweep grain persists: its trials, where each runs, and every finished result, so that nothing
/// finished is lost and nothing unfinished is forgotten if the grain or its silo goes away.</summary>
[GenerateSerializer]
public sealed class SweepState
{
    [Id(0)] public string Name { get; set; } = "";
    [Id(1)] public SweepStatus Status { get; set; } = SweepStatus.NotStarted;
    [Id(2)] public List<TrialDefinition> Trials { get; set; } = [];
    [Id(3)] public List<TrialStatus> Statuses { get; set; } = [];
    [Id(4)] public List<TrialResult?> Results { get; set; } = [];
    [Id(5)] public int MaxConcurrentTrials { get; set; } = 1;
    [Id(6)] public string? TraceParent { get; set; }
    [Id(7)] public int MaxFailures { get; set; } = 3;
    /// <summary>Per trial: how many times it was sent to a trial grain (0 = never).</summary>
    [Id(8)] public List<int> Attempts { get; set; } = [];
    /// <summary>Per trial: the silo (parsable address) running its current attempt, or null.</summary>
    [Id(9)] public List<string?> Silos { get; set; } = [];
    /// <summary>Per trial: attempts lost with a dead silo.</summary>
    [Id(10)] public List<int> Losses { get; set; } = [];
    /// <summary>The search the grain runs on its own (proposals, early stopping), or null.</summary>
    [Id(11)] public SearchPlan? Search { get; set; }
    /// <summary>Every evaluation recorded at an ASHA rung, in arrival order.</summary>
    [Id(12)] public List<RungRecord> Rungs { get; set; } = [];
    /// <summary>When the sweep started (or was resumed after a cancel): where its time budget counts from.</summary>
    [Id(13)] public DateTime? StartedUtc { get; set; }
    /// <summary>The spec's <c>time_budget_minutes</c>, or null (none).</summary>
    [Id(14)] public TimeSpan? TimeBudget { get; set; }
}
