using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// A group's curves, averaged over its seeds: a metric against the training step, and a shift curve against its
/// parameter. Only completed and diverged trials draw (a diverged one up to its last finite value); non-finite values
/// are skipped, so a point's mean is over the seeds that have a finite value there.
/// </summary>
public static class MetricCurves
{
    /// <summary>True for the trials whose evaluations are drawn: completed and diverged ones.</summary>
    public static bool Draws(TrialResult result) => result.Status is TrialStatus.Completed or TrialStatus.Diverged;

    /// <summary><paramref name="metric"/> against the step, one point per step at which some member has a finite value.</summary>
    public static IReadOnlyList<CurvePoint> Training(TrialGroup group, string metric) =>
        Average(group, r => r.Evaluations.Select(e => ((double)e.Step, e.Metrics.TryGetValue(metric, out var v) ? v : double.NaN)));

    /// <summary><paramref name="metric"/> of the train rows (<see cref="TrialResult.TrainLog"/>) against the step.</summary>
    public static IReadOnlyList<CurvePoint> TrainLog(TrialGroup group, string metric) =>
        Average(group, r => r.TrainLog.Select(e => ((double)e.Step, e.Metrics.TryGetValue(metric, out var v) ? v : double.NaN)));

    /// <summary>The family's metrics of each member's final evaluation against the family's parameter, by x ascending.</summary>
    public static IReadOnlyList<CurvePoint> Shift(TrialGroup group, ShiftCurveFamily family) =>
        Average(group, r => ReportFormat.FinalMetrics(r)
            .Select(m => ShiftMetricName.TryParse(m.Key, out var name) && family.Contains(name) ? (name.X, m.Value) : (double.NaN, double.NaN)));

    private static IReadOnlyList<CurvePoint> Average(TrialGroup group, Func<TrialResult, IEnumerable<(double X, double Y)>> points) =>
        group.Members.Where(Draws)
            .SelectMany(r => points(r).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).DistinctBy(p => p.X)) // one value per seed and x
            .GroupBy(p => p.X)
            .OrderBy(g => g.Key)
            .Select(g => new CurvePoint(g.Key, g.Average(p => p.Y), g.Min(p => p.Y), g.Max(p => p.Y), g.Count()))
            .ToList();
}
