namespace RiskAlign.Framework.Sweeps;

/// <summary>A trial's drift and reward as recorded at one ASHA rung (persisted by the sweep grain).</summary>
/// <param name="Step">The rung's training step.</param>
public sealed record RungRecord(int Step, int Trial, double Drift, double Reward);

/// <summary>
/// ASHA as a running sweep applies it: each evaluation a trial reports at a rung step is recorded once (a re-sent
/// trial reports the same numbers again, same seeds), and the trial continues when <see cref="AshaPromotion.Continues"/>
/// ranks it in the best 1/reduction-factor of everything recorded at that rung so far, across all arms of the sweep.
/// </summary>
public static class AshaLadder
{
    /// <summary>
    /// Records trial <paramref name="trial"/>'s evaluation at <paramref name="step"/> into <paramref name="recorded"/> when
    /// the step is a rung of <paramref name="plan"/> and the trial was not recorded there yet; returns whether it
    /// continues, or null when nothing was recorded (no ASHA, not a rung, already judged there).
    /// </summary>
    public static bool? Judge(SearchPlan plan, List<RungRecord> recorded, int trial, int step, double drift, double reward)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(recorded);
        if (plan.Asha is not { } asha || !plan.Rungs.Contains(step) || recorded.Any(r => r.Step == step && r.Trial == trial)) return null;
        recorded.Add(new RungRecord(step, trial, drift, reward));
        var rung = recorded.Where(r => r.Step == step).Select(r => new RungResult(r.Trial, r.Drift, r.Reward)).ToList();
        return AshaPromotion.Continues(trial, rung, asha.ReductionFactor);
    }
}
