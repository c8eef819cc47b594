using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Pareto;

/// <summary>
/// The non-dominated trials of a sweep under "minimise drift, maximise reward", and the area they dominate
/// (2-D hypervolume) up to a reference point. Only completed trials with finite drift and reward take part:
/// diverged and failed trials are on no front.
/// </summary>
public sealed class ParetoFront
{
    private ParetoFront(IReadOnlyList<TrialResult> points, (double Drift, double Reward) reference, double hypervolume)
    {
        Points = points;
        Reference = reference;
        Hypervolume = hypervolume;
    }

    /// <summary>The non-dominated trials, by drift ascending (so reward ascending too).</summary>
    public IReadOnlyList<TrialResult> Points { get; }

    /// <summary>The point the hypervolume is measured from: by default the worst drift and the worst reward of all eligible trials.</summary>
    public (double Drift, double Reward) Reference { get; }

    /// <summary>Area dominated by the front and bounded by <see cref="Reference"/>; NaN when no trial is eligible.</summary>
    public double Hypervolume { get; }

    /// <summary>Trials that can be on a front: completed, with finite drift and reward.</summary>
    public static IEnumerable<TrialResult> Eligible(IEnumerable<TrialResult> results) =>
        results.Where(r => r.Status == TrialStatus.Completed && double.IsFinite(r.Drift) && double.IsFinite(r.Reward));

    /// <summary>The front of <paramref name="results"/>; <paramref name="reference"/> defaults to their worst drift and worst reward.</summary>
    public static ParetoFront Of(IEnumerable<TrialResult> results, (double Drift, double Reward)? reference = null)
    {
        var eligible = Eligible(results).ToList();
        if (eligible.Count == 0) return new ParetoFront([], reference ?? (double.NaN, double.NaN), double.NaN);
        var origin = reference ?? (eligible.Max(r => r.Drift), eligible.Min(r => r.Reward));
        // b dominates a when it is no worse on both axes and better on one; equal points do not dominate each other.
        var front = eligible
            .Where(a => !eligible.Any(b => b.Drift <= a.Drift && b.Reward >= a.Reward && (b.Drift < a.Drift || b.Reward > a.Reward)))
            .OrderBy(r => r.Drift).ThenBy(r => r.Reward).ThenBy(r => r.Trial.Index)
            .ToList();
        return new ParetoFront(front, origin, Area(front, origin));
    }

    /// <summary>One front per arm, all measured from the overall reference point so their hypervolumes compare.</summary>
    public static IReadOnlyDictionary<string, ParetoFront> PerArm(IEnumerable<TrialResult> results)
    {
        var all = results.ToList();
        var overall = Of(all);
        return all.GroupBy(r => r.Trial.Arm)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Of(g, double.IsNaN(overall.Reference.Drift) ? null : overall.Reference));
    }

    // The dominated region is the union of boxes [dᵢ, D] × [R, rᵢ]; along a front sorted by drift the rewards rise,
    // so between consecutive drifts the height is that of the left point.
    private static double Area(IReadOnlyList<TrialResult> front, (double Drift, double Reward) origin)
    {
        double area = 0;
        for (int i = 0; i < front.Count; i++)
        {
            double right = Math.Min(i + 1 < front.Count ? front[i + 1].Drift : origin.Drift, origin.Drift);
            double width = right - front[i].Drift, height = front[i].Reward - origin.Reward;
            if (width > 0 && height > 0) area += width * height;
        }
        return area;
    }
}
