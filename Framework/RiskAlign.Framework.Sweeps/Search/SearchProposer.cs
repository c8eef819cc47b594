using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Sweeps;

/// <summary>
/// Proposes a running sweep's next NSGA-II setting from the trials it has so far. Stateless: the k-th proposal of an
/// arm comes from an <see cref="Nsga2Sampler"/> seeded by (plan seed, arm, k) and told every finished setting of that
/// arm, so a sweep grain reactivated from storage proposes exactly what it would have. A setting is told once all its
/// seeds finished, with the mean drift and reward of its completed seeds; stopped seeds are left out of that mean (their
/// last evaluation is from an earlier step), and a setting whose every seed was stopped is not told at all, as Optuna's
/// NSGA-II ignores pruned trials. A setting with no completed seed and none stopped (failed, diverged) is told NaN, ranked last.
/// </summary>
public static class SearchProposer
{
    /// <summary>Whether <paramref name="plan"/> still has settings to propose after <paramref name="trials"/>.</summary>
    public static bool HasMore(SearchPlan? plan, IReadOnlyList<TrialDefinition> trials) =>
        plan is not null && plan.Arms.Any(a => Proposed(plan, a, trials) < plan.MaxTrials);

    /// <summary>
    /// The trials of the next setting (one per seed, indexed from <c>trials.Count</c>), for the arm with the fewest
    /// proposals so far (declared order breaks ties); empty once every arm has had max_trials settings.
    /// </summary>
    /// <param name="trials">The sweep's trials so far, by index.</param>
    /// <param name="results">Their results, null while unfinished.</param>
    public static IReadOnlyList<TrialDefinition> Next(SearchPlan plan, IReadOnlyList<TrialDefinition> trials, IReadOnlyList<TrialResult?> results)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(results);
        var open = plan.Arms.Select((arm, a) => (arm, a, proposed: Proposed(plan, arm, trials)))
            .Where(x => x.proposed < plan.MaxTrials).OrderBy(x => x.proposed).ThenBy(x => x.a).ToList();
        if (open.Count == 0) return [];
        if (plan.Seeds.Count == 0) throw new ArgumentException("a search plan with arms needs at least one seed", nameof(plan));
        var (chosen, armIndex, k) = open[0];

        var sampler = new Nsga2Sampler(chosen.Parameters.Select(p => p.Dimension).ToList(),
            unchecked(plan.Seed * 1_000_003 + armIndex * 7_919 + k), plan.Population);
        var mine = Enumerable.Range(0, trials.Count).Where(i => trials[i].Arm == chosen.Arm).ToList();
        for (int start = 0; start + plan.Seeds.Count <= mine.Count; start += plan.Seeds.Count)
        {
            var setting = mine.GetRange(start, plan.Seeds.Count);
            if (setting.Any(i => results[i] is null)) continue;
            var completed = setting.Select(i => results[i]!).Where(r => r.Status == TrialStatus.Completed && double.IsFinite(r.Drift) && double.IsFinite(r.Reward)).ToList();
            if (completed.Count == 0 && setting.Any(i => results[i]!.Status == TrialStatus.Stopped)) continue;
            double drift = completed.Count > 0 ? completed.Average(r => r.Drift) : double.NaN;
            double reward = completed.Count > 0 ? completed.Average(r => r.Reward) : double.NaN;
            sampler.Tell(chosen.Parameters.ToDictionary(p => p.Dimension.Name, p => Value(trials[setting[0]], p)), drift, reward);
        }
        var values = sampler.Ask();
        var template = chosen.Template;
        var loss = With(template.Loss, chosen.Parameters, SearchedPlugin.Loss, values);
        var risk = template.Risk is null ? null : With(template.Risk, chosen.Parameters, SearchedPlugin.Risk, values);
        var set = With(template.UncertaintySet, chosen.Parameters, SearchedPlugin.UncertaintySet, values);
        return plan.Seeds.Select((seed, s) => template with
        {
            Index = trials.Count + s,
            Loss = loss,
            Risk = risk,
            UncertaintySet = set,
            Training = template.Training with { Seed = seed },
        }).ToList();
    }

    // Proposals are appended one seed block at a time, so an arm's settings are its trials over the seed count.
    private static int Proposed(SearchPlan plan, SearchArmPlan arm, IReadOnlyList<TrialDefinition> trials) =>
        trials.Count(t => t.Arm == arm.Arm) / Math.Max(1, plan.Seeds.Count);

    private static double Value(TrialDefinition trial, SearchParameter parameter)
    {
        var choice = parameter.Plugin switch
        {
            SearchedPlugin.Loss => trial.Loss,
            SearchedPlugin.Risk => trial.Risk!,
            _ => trial.UncertaintySet,
        };
        return choice.Values[parameter.Name].Number;
    }

    private static PluginChoice With(PluginChoice choice, IReadOnlyList<SearchParameter> parameters, SearchedPlugin plugin, IReadOnlyDictionary<string, double> values)
    {
        var mine = parameters.Where(p => p.Plugin == plugin).ToList();
        if (mine.Count == 0) return choice;
        var updated = new Dictionary<string, ParameterValue>(choice.Values, StringComparer.Ordinal);
        foreach (var p in mine) updated[p.Name] = ParameterValue.Of(values[p.Dimension.Name]);
        return choice with { Values = updated };
    }
}
