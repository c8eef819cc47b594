using RiskAlign.Framework.Pareto;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Dashboard;

/// <summary>
/// What the live page draws of one sweep, built from <see cref="ISweepGrain.GetSnapshot"/>: its finished trials as
/// drift-vs-reward points (completed, finite; the same ones <c>pareto.png</c> draws), each arm's colour, and which
/// points are on the front. Serialised as the page's JSON.
/// </summary>
internal sealed record LiveSweepView
{
    /// <summary>Category10, as <c>ArmPalette</c> colours <c>pareto.png</c>, so an arm has one colour in both.</summary>
    internal static readonly string[] Category10 =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    public required string SweepId { get; init; }
    public required string Name { get; init; }
    public required string Status { get; init; }
    public required int Trials { get; init; }
    /// <summary>Trials with a result, whatever its status.</summary>
    public required int Finished { get; init; }
    public required int Running { get; init; }
    public required string DriftMetric { get; init; }
    public required string RewardMetric { get; init; }
    /// <summary>Hypervolume of the front so far; null before any point.</summary>
    public double? Hypervolume { get; init; }
    /// <summary>Every arm of the sweep in trial order, finished or not, so colours do not change as results arrive.</summary>
    public required IReadOnlyList<LiveArm> Arms { get; init; }
    public required IReadOnlyList<LivePoint> Points { get; init; }

    public static LiveSweepView From(SweepSnapshot snapshot)
    {
        var results = snapshot.Trials.Select(t => t.Result).OfType<TrialResult>().ToList();
        var eligible = ParetoFront.Eligible(results).ToList();
        var front = snapshot.FrontIndices.ToHashSet();
        var armNames = snapshot.Trials.Select(t => t.Trial.Arm).Distinct().ToList();
        return new LiveSweepView
        {
            SweepId = snapshot.SweepId,
            Name = snapshot.Name,
            Status = snapshot.Status.ToString(),
            Trials = snapshot.Trials.Count,
            Finished = results.Count,
            Running = snapshot.Trials.Count(t => t.Status == TrialStatus.Running),
            DriftMetric = results.Select(r => r.DriftMetric).FirstOrDefault(m => m.Length > 0) ?? "drift",
            RewardMetric = results.Select(r => r.RewardMetric).FirstOrDefault(m => m.Length > 0) ?? "reward",
            Hypervolume = double.IsFinite(snapshot.Hypervolume) ? snapshot.Hypervolume : null,
            Arms = [.. armNames.Select((arm, i) => new LiveArm(arm, Category10[i % Category10.Length], eligible.Count(r => r.Trial.Arm == arm)))],
            Points = [.. eligible.Select(r => new LivePoint(r.Trial.Index, r.Trial.Arm, r.Drift, r.Reward, front.Contains(r.Trial.Index), r.Trial.Label))],
        };
    }
}

/// <summary>An arm, its colour (CSS hex) and how many of its trials are drawn.</summary>
internal sealed record LiveArm(string Name, string Colour, int Points);

/// <summary>One finished trial on the scatter.</summary>
internal sealed record LivePoint(int Index, string Arm, double Drift, double Reward, bool OnFront, string Label);
