namespace RiskAlign.Framework.Sweeps;

/// <summary>
/// The NSGA-II order of points under "minimise drift, maximise reward" (Deb et al. 2002): non-dominated sorting into
/// fronts, then, within a front, crowding distance (larger first, the front's ends infinite). Points with a non-finite
/// objective (diverged trials) come after every finite one. Ties keep input order, so the order is deterministic.
/// </summary>
public static class MultiObjectiveRank
{
    /// <summary>The front number of each point: 0 for the non-dominated ones, 1 for those only they dominate, and so on.</summary>
    public static int[] Fronts(IReadOnlyList<(double Drift, double Reward)> points)
    {
        int n = points.Count;
        var front = new int[n];
        var remaining = Enumerable.Range(0, n).Where(i => Finite(points[i])).ToList();
        int level = 0;
        while (remaining.Count > 0)
        {
            var current = remaining.Where(a => !remaining.Any(b => Dominates(points[b], points[a]))).ToList();
            foreach (var i in current) front[i] = level;
            remaining = remaining.Except(current).ToList();
            level++;
        }
        for (int i = 0; i < n; i++) if (!Finite(points[i])) front[i] = level;
        return front;
    }

    /// <summary>
    /// Crowding distance of each point within its front: the sum over both objectives of the normalised gap between its
    /// two neighbours; the ends of a front (and fronts of one or two points) get +∞.
    /// </summary>
    public static double[] Crowding(IReadOnlyList<(double Drift, double Reward)> points, int[] fronts)
    {
        var crowding = new double[points.Count];
        foreach (var group in Enumerable.Range(0, points.Count).GroupBy(i => fronts[i]))
        {
            var members = group.ToList();
            if (members.Any(i => !Finite(points[i]))) continue; // the non-finite tail has no geometry; 0 for all
            foreach (Func<(double Drift, double Reward), double> objective in new Func<(double Drift, double Reward), double>[] { p => p.Drift, p => p.Reward })
            {
                var sorted = members.OrderBy(i => objective(points[i])).ThenBy(i => i).ToList();
                double span = objective(points[sorted[^1]]) - objective(points[sorted[0]]);
                crowding[sorted[0]] = crowding[sorted[^1]] = double.PositiveInfinity;
                if (span <= 0) continue;
                for (int k = 1; k < sorted.Count - 1; k++)
                    crowding[sorted[k]] += (objective(points[sorted[k + 1]]) - objective(points[sorted[k - 1]])) / span;
            }
        }
        return crowding;
    }

    /// <summary>Indices of <paramref name="points"/>, best first: by front, then crowding distance descending, then index.</summary>
    public static int[] Order(IReadOnlyList<(double Drift, double Reward)> points)
    {
        var fronts = Fronts(points);
        var crowding = Crowding(points, fronts);
        return Enumerable.Range(0, points.Count)
            .OrderBy(i => fronts[i]).ThenByDescending(i => crowding[i]).ThenBy(i => i).ToArray();
    }

    /// <summary>True when <paramref name="a"/> is no worse than <paramref name="b"/> on both objectives and better on one.</summary>
    public static bool Dominates((double Drift, double Reward) a, (double Drift, double Reward) b) =>
        a.Drift <= b.Drift && a.Reward >= b.Reward && (a.Drift < b.Drift || a.Reward > b.Reward);

    private static bool Finite((double Drift, double Reward) p) => double.IsFinite(p.Drift) && double.IsFinite(p.Reward);
}
