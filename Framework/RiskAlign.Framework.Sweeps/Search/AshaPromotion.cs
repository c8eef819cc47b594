namespace RiskAlign.Framework.Sweeps;

/// <summary>A trial's objectives at an ASHA rung (an evaluation checkpoint).</summary>
public sealed record RungResult(int Trial, double Drift, double Reward);

/// <summary>
/// Asynchronous successive halving (ASHA, Li et al. 2020) on the drift-vs-reward rank: at each rung the best
/// ⌈n / reduction factor⌉ of the n results recorded there continue, best meaning <see cref="MultiObjectiveRank"/>'s
/// order (non-dominated front first, then crowding distance, so the front's spread is kept). Rounding up means the
/// first trial to reach a rung always continues, as in Ray Tune's stopping variant of ASHA; later trials are measured
/// against everything recorded before them.
/// </summary>
public static class AshaPromotion
{
    /// <summary>The rung steps: grace period · reduction factorᵏ, every one below <paramref name="totalSteps"/>.</summary>
    public static IReadOnlyList<int> Rungs(AshaSettings settings, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var rungs = new List<int>();
        for (long step = settings.GracePeriod; step < totalSteps; step *= settings.ReductionFactor) rungs.Add((int)step);
        return rungs;
    }

    /// <summary>The trials of <paramref name="rung"/> that continue past it.</summary>
    public static IReadOnlySet<int> Continuing(IReadOnlyList<RungResult> rung, int reductionFactor)
    {
        ArgumentNullException.ThrowIfNull(rung);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        int keep = (rung.Count + reductionFactor - 1) / reductionFactor;
        var order = MultiObjectiveRank.Order(rung.Select(r => (r.Drift, r.Reward)).ToList());
        return order.Take(keep).Select(i => rung[i].Trial).ToHashSet();
    }

    /// <summary>
    /// Whether <paramref name="trial"/>, just recorded at a rung where <paramref name="recorded"/> holds every result so
    /// far (its own included), continues; false stops it.
    /// </summary>
    public static bool Continues(int trial, IReadOnlyList<RungResult> recorded, int reductionFactor) =>
        recorded.Any(r => r.Trial == trial) ? Continuing(recorded, reductionFactor).Contains(trial)
            : throw new ArgumentException($"trial {trial} is not among the recorded results", nameof(recorded));
}
