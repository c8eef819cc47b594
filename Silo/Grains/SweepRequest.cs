using RiskAlign.Framework.Sweeps;

namespace RiskAlign.Silo.Grains;

/// <summary>
/// What a client sends to start a sweep: the sweep the client already validated and expanded (SweepPlanner is the
/// one place that checks a spec), as plain data. The grain asserts its shape but never re-parses a spec.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class SweepRequest
{
    /// <summary>The sweep's id, the key of its grain; every trial's <see cref="TrialDefinition.SweepId"/>.</summary>
    [Id(0)] public required string SweepId { get; init; }
    /// <summary>The spec's name, for display.</summary>
    [Id(1)] public required string Name { get; init; }
    /// <summary>Every trial expanded before launch, indexed 0..n-1 in launch order (none for nsga2 search, whose trials the
    /// grain proposes itself from <see cref="Search"/>).</summary>
    [Id(2)] public required IReadOnlyList<TrialDefinition> Trials { get; init; }
    /// <summary>How many trials may run at once (≥ 1).</summary>
    [Id(3)] public required int MaxConcurrentTrials { get; init; }
    /// <summary>How many times a trial may be lost with its silo and sent again before it is Failed (≥ 0).</summary>
    [Id(4)] public int MaxFailures { get; init; } = 3;
    /// <summary>W3C traceparent of the client's span, so the sweep's spans join the client's trace.</summary>
    [Id(5)] public string? TraceParent { get; init; }
    /// <summary>NSGA-II arms to propose settings for and ASHA rungs to stop trials at (SweepPlanner.Plan), or null.</summary>
    [Id(6)] public SearchPlan? Search { get; init; }
    /// <summary>Wall-clock time after which the sweep starts nothing more and stops what runs (spec's <c>time_budget_minutes</c>), or null.</summary>
    [Id(7)] public TimeSpan? TimeBudget { get; init; }
}
