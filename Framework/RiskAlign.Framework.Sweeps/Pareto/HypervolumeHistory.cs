using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Pareto;

/// <summary>
/// Hypervolume against trials spent: after the k-th finished trial in index (launch or proposal) order, the hypervolume
/// of the front of trials 1..k, all measured from one reference point so the numbers compare along the history. Index
/// order rather than finish order keeps it the same however trials happened to overlap. Stopped, failed and diverged
/// trials count as trials spent and add no area.
/// </summary>
public static class HypervolumeHistory
{
    /// <summary>One hypervolume per trial of <paramref name="results"/> in index order (NaN while none is eligible).</summary>
    public static IReadOnlyList<(int TrialIndex, double Hypervolume)> Of(IReadOnlyList<TrialResult> results, (double Drift, double Reward) reference)
    {
        var ordered = results.OrderBy(r => r.Trial.Index).ToList();
        var history = new List<(int, double)>(ordered.Count);
        for (int k = 1; k <= ordered.Count; k++)
        {
            double hv = double.IsFinite(reference.Drift) ? ParetoFront.Of(ordered.Take(k), reference).Hypervolume : double.NaN;
            history.Add((ordered[k - 1].Trial.Index, hv));
        }
        return history;
    }
}
