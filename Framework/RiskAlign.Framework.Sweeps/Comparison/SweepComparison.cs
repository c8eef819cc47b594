namespace RiskAlign.Framework.Comparison;

/// <summary>
/// Several sweeps side by side: each sweep's front and its hypervolume against one shared reference point (the worst
/// drift and worst reward of every eligible trial of every sweep, so the numbers compare), and per metric a table of
/// arm × sweep (mean over the arm's completed trials).
/// </summary>
public sealed class SweepComparison
{
    private SweepComparison(IReadOnlyList<SweepFolder> sweeps, (double Drift, double Reward) reference,
        IReadOnlyList<ComparedFront> fronts, IReadOnlyList<string> arms)
    {
        Sweeps = sweeps;
        Reference = reference;
        Fronts = fronts;
        Arms = arms;
    }

    public IReadOnlyList<SweepFolder> Sweeps { get; }
    /// <summary>Shared reference point of every hypervolume; NaN when no sweep has an eligible trial.</summary>
    public (double Drift, double Reward) Reference { get; }
    /// <summary>One front per sweep, in the order of <see cref="Sweeps"/>.</summary>
    public IReadOnlyList<ComparedFront> Fronts { get; }
    /// <summary>Every arm of every sweep, in order of first appearance.</summary>
    public IReadOnlyList<string> Arms { get; }

    /// <summary>Metrics whose names differ between sweeps (drift or reward measured differently), as warnings.</summary>
    public IEnumerable<string> Warnings
    {
        get
        {
            var first = Sweeps[0];
            foreach (var sweep in Sweeps.Skip(1))
            {
                if (sweep.DriftMetric != first.DriftMetric)
                    yield return $"{sweep.Name} measures drift as {sweep.DriftMetric}, {first.Name} as {first.DriftMetric}: the fronts share axes but not a meaning.";
                if (sweep.RewardMetric != first.RewardMetric)
                    yield return $"{sweep.Name} measures reward as {sweep.RewardMetric}, {first.Name} as {first.RewardMetric}: the fronts share axes but not a meaning.";
            }
        }
    }

    public static SweepComparison Of(IReadOnlyList<SweepFolder> sweeps)
    {
        if (sweeps.Count == 0) throw new ArgumentException("Nothing to compare.", nameof(sweeps));
        var eligible = sweeps.SelectMany(s => s.Trials).Where(t => t.Eligible).ToList();
        var reference = eligible.Count == 0 ? (double.NaN, double.NaN) : (eligible.Max(t => t.Drift), eligible.Min(t => t.Reward));
        var fronts = sweeps.Select(s => ComparedFront.Of(s.Trials, reference)).ToList();
        var arms = sweeps.SelectMany(s => s.Trials.Select(t => t.Arm)).Distinct().ToList();
        return new SweepComparison(sweeps, reference, fronts, arms);
    }

    /// <summary>Hypervolume of one arm of one sweep against the shared reference (NaN when it has no eligible trial).</summary>
    public double ArmHypervolume(SweepFolder sweep, string arm) =>
        ComparedFront.Of(sweep.Trials.Where(t => t.Arm == arm), Reference).Hypervolume;

    /// <summary>Hypervolume against trials spent: after each of the sweep's trials in index order, the hypervolume of
    /// trials 1..k against the shared reference (NaN while none is eligible), as <see cref="Pareto.HypervolumeHistory"/>.</summary>
    public IReadOnlyList<double> HypervolumeHistory(SweepFolder sweep)
    {
        var ordered = sweep.Trials.OrderBy(t => t.Index).ToList();
        return Enumerable.Range(1, ordered.Count).Select(k => ComparedFront.Of(ordered.Take(k), Reference).Hypervolume).ToList();
    }

    /// <summary>Mean of <paramref name="metric"/> over an arm's completed trials of one sweep, and how many had it.</summary>
    public static (double Mean, int Count) ArmMean(SweepFolder sweep, string arm, string metric)
    {
        var values = sweep.Trials.Where(t => t.Arm == arm && t.Completed && t.Metrics.TryGetValue(metric, out var v) && double.IsFinite(v))
            .Select(t => t.Metrics[metric]).ToList();
        return values.Count == 0 ? (double.NaN, 0) : (values.Average(), values.Count);
    }
}
