namespace RiskAlign.Framework.Comparison;

/// <summary>The non-dominated trials of one set (minimise drift, maximise reward) and the area they dominate up to a
/// given reference point, the same rule as <see cref="Pareto.ParetoFront"/>.</summary>
public sealed record ComparedFront(IReadOnlyList<ComparedTrial> Points, double Hypervolume)
{
    public static ComparedFront Of(IEnumerable<ComparedTrial> trials, (double Drift, double Reward) reference)
    {
        var eligible = trials.Where(t => t.Eligible).ToList();
        var front = eligible
            .Where(a => !eligible.Any(b => b.Drift <= a.Drift && b.Reward >= a.Reward && (b.Drift < a.Drift || b.Reward > a.Reward)))
            .OrderBy(t => t.Drift).ThenBy(t => t.Reward).ThenBy(t => t.Index)
            .ToList();
        if (front.Count == 0 || double.IsNaN(reference.Drift)) return new ComparedFront(front, double.NaN);
        double area = 0;
        for (int i = 0; i < front.Count; i++)
        {
            double right = Math.Min(i + 1 < front.Count ? front[i + 1].Drift : reference.Drift, reference.Drift);
            double width = right - front[i].Drift, height = front[i].Reward - reference.Reward;
            if (width > 0 && height > 0) area += width * height;
        }
        return new ComparedFront(front, area);
    }
}
