using RiskAlign.Framework.Pareto;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Saving;

/// <summary>
/// <c>training.save: best</c> at the end of a sweep: every completed trial wrote its last policy; the best are those
/// on the sweep's Pareto front (its objectives: drift minimised, reward maximised, over the completed trials with
/// finite values, as <c>front.csv</c>). The other trials' folders are deleted and their <see cref="TrialResult.SavedModel"/>
/// cleared. Applied only once the sweep is over, since a later trial can push an earlier one off the front.
/// </summary>
public static class BestPolicies
{
    /// <summary>The results with the saved policies of trials off the front deleted and unlinked; trials saved with
    /// <c>last</c> (or not saved) are untouched.</summary>
    public static IReadOnlyList<TrialResult> Prune(IReadOnlyList<TrialResult> results)
    {
        var front = ParetoFront.Of(results).Points.Select(r => r.Trial.Index).ToHashSet();
        var kept = new List<TrialResult>(results.Count);
        foreach (var result in results)
        {
            if (result.Trial.Training.Save != TrialSave.Best || result.SavedModel is not { } folder || front.Contains(result.Trial.Index))
            {
                kept.Add(result);
                continue;
            }
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            kept.Add(result with { SavedModel = null });
        }
        return kept;
    }
}
