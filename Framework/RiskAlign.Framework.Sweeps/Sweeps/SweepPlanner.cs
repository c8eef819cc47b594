using System.Diagnostics;
using System.Globalization;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Sweeps;

/// <summary>
/// Checks a <see cref="SweepSpec"/> against the loaded plugins and the task catalog, then expands it into trials.
/// Everything a user can get wrong is reported here, before any trial runs, naming the spec file and JSON path.
/// </summary>
public static class SweepPlanner
{
    /// <summary>
    /// The trials of <paramref name="spec"/>, indexed 0..N−1: arms in declared order; within an arm the cartesian
    /// product of the loss's, then the risk measure's, then the uncertainty set's parameters in declared order
    /// (the last declared varying fastest), with the seeds innermost. Every <see cref="PluginChoice"/> is complete:
    /// parameters the spec leaves out take their schema defaults. With <c>"search": {"sampler": "random"}</c> each arm
    /// instead gets <see cref="SearchSettings.MaxTrials"/> draws (seeds innermost again): a listed parameter or a range with
    /// a count takes one of its values uniformly, a range without a count a uniform point of [min, max] (of its
    /// logarithm on a log scale, rounded for integers), all from one generator seeded by <see cref="SearchSettings.Seed"/>.
    /// </summary>
    /// <exception cref="SweepSpecException">An unknown plugin, task or parameter, a value the schema rejects, or a
    /// risk measure missing where the loss needs one (or given where none is taken).</exception>
    public static IReadOnlyList<TrialDefinition> Expand(SweepSpec spec, PluginCatalog catalog, string sweepId) =>
        Plan(spec, catalog, sweepId).Trials;

    /// <summary>
    /// As <see cref="Expand"/>, plus what the sweep grain needs to search on its own: for <c>"nsga2"</c> no trial is
    /// expanded before launch; each arm becomes a <see cref="SearchArmPlan"/> (its fixed values and defaults filled in,
    /// every range without a count a <see cref="SearchParameter"/>) whose settings <see cref="SearchProposer"/> proposes
    /// as results arrive. With <c>"asha"</c> the plan carries the rungs. Null plan for plain grid and random search.
    /// </summary>
    /// <exception cref="SweepSpecException">As <see cref="Expand"/>; also an nsga2 arm with no range to search.</exception>
    public static PlannedSweep Plan(SweepSpec spec, PluginCatalog catalog, string sweepId)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(sweepId);
        var fail = new Failer(spec.SourceName);

        var task = ValidateTask(spec.Task, fail);
        var search = spec.Search;
        var random = new Random(search.Seed);

        var trials = new List<TrialDefinition>();
        var searchArms = new List<SearchArmPlan>();
        foreach (var arm in spec.Arms)
        {
            var loss = catalog.FindLoss(arm.Loss.Name)
                ?? throw fail.At($"{arm.Loss.Path}.name", $"unknown loss '{arm.Loss.Name}'; expected one of: {Known(catalog.Losses)}");
            var set = catalog.FindUncertaintySet(arm.UncertaintySet.Name)
                ?? throw fail.At($"{arm.UncertaintySet.Path}.name", $"unknown uncertainty set '{arm.UncertaintySet.Name}'; expected one of: {Known(catalog.UncertaintySets)}");
            IRiskMeasure? risk = null;
            if (arm.Risk is { } r)
                risk = catalog.FindRiskMeasure(r.Name)
                    ?? throw fail.At($"{r.Path}.name", $"unknown risk measure '{r.Name}'; expected one of: {Known(catalog.RiskMeasures)}");

            bool needsRisk = ((loss.Requirements | set.Requirements) & BatchRequirements.RiskMeasure) != 0;
            if (needsRisk && risk is null)
                throw fail.At(arm.Path, $"loss '{loss.Name}' needs a risk measure; expected a \"risk\" field naming one of: {Known(catalog.RiskMeasures)}");
            if (!needsRisk && arm.Risk is { } unused)
                throw fail.At(unused.Path, $"loss '{loss.Name}' and uncertainty set '{set.Name}' take no risk measure; expected no \"risk\" field in this arm");

            if (loss.Requirements.HasFlag(BatchRequirements.AggregatedLoss) && set.Requirements.HasFlag(BatchRequirements.PerPairLosses))
                throw fail.At($"{arm.UncertaintySet.Path}.name",
                    $"loss '{loss.Name}' already aggregates its batch (every per-pair entry holds one objective), so set '{set.Name}' would weigh copies of one number; " +
                    $"expected set 'nominal' with this loss, or loss 'dpo' with set 'dr' combined as you need");

            // One axis per swept parameter, in the order trials vary: loss, risk, set; declared order within each.
            var axes = new List<SearchAxis>();
            axes.AddRange(Axes(loss, arm.Loss, 0, search.Sampler, fail));
            if (risk is not null) axes.AddRange(Axes(risk, arm.Risk!, 1, search.Sampler, fail));
            axes.AddRange(Axes(set, arm.UncertaintySet, 2, search.Sampler, fail));

            if (search.Sampler == SearchSampler.Nsga2)
            {
                if (!axes.Any(a => a.Dimension is not null))
                    throw fail.At(arm.Path, "expected at least one parameter with a range {\"min\", \"max\"} (no count) in this arm: nsga2 search needs something to search");
                var fixedValues = new[] { new Dictionary<string, ParameterValue>(), new Dictionary<string, ParameterValue>(), new Dictionary<string, ParameterValue>() };
                foreach (var axis in axes)
                    fixedValues[axis.Plugin][axis.Name] = axis.Values is { } single ? single[0] : ParameterValue.Of(axis.Dimension!.Min);
                var template = new TrialDefinition
                {
                    SweepId = sweepId,
                    Index = 0,
                    Arm = arm.Name,
                    Task = task,
                    Loss = Complete(loss, fixedValues[0]),
                    Risk = risk is null ? null : Complete(risk, fixedValues[1]),
                    UncertaintySet = Complete(set, fixedValues[2]),
                    Training = spec.Training with { Seed = spec.Seeds[0] },
                };
                string[] prefixes = ["loss", "risk", "set"];
                searchArms.Add(new SearchArmPlan(template, axes.Where(a => a.Dimension is not null)
                    .Select(a => new SearchParameter((SearchedPlugin)a.Plugin, a.Name, a.Dimension! with { Name = $"{prefixes[a.Plugin]}.{a.Name}" }))
                    .ToList()));
                continue;
            }

            var combinations = search.Sampler == SearchSampler.Random
                ? Draws(axes, search.MaxTrials!.Value, random)
                : Product(axes.Select(a => a.Values!.Count).ToArray()).Select(c => axes.Select((a, i) => a.Values![c[i]]).ToArray());
            foreach (var combination in combinations)
            {
                var given = new[] { new Dictionary<string, ParameterValue>(), new Dictionary<string, ParameterValue>(), new Dictionary<string, ParameterValue>() };
                for (int a = 0; a < axes.Count; a++) given[axes[a].Plugin][axes[a].Name] = combination[a];
                var lossChoice = Complete(loss, given[0]);
                var riskChoice = risk is null ? null : Complete(risk, given[1]);
                var setChoice = Complete(set, given[2]);
                foreach (var seed in spec.Seeds)
                {
                    trials.Add(new TrialDefinition
                    {
                        SweepId = sweepId,
                        Index = trials.Count,
                        Arm = arm.Name,
                        Task = task,
                        Loss = lossChoice,
                        Risk = riskChoice,
                        UncertaintySet = setChoice,
                        Training = spec.Training with { Seed = seed },
                    });
                }
            }
        }
        if (search.Sampler != SearchSampler.Nsga2 && search.Asha is null) return new PlannedSweep(trials, null);
        return new PlannedSweep(trials, new SearchPlan
        {
            Arms = searchArms,
            MaxTrials = search.Sampler == SearchSampler.Nsga2 ? search.MaxTrials!.Value : 0,
            Seed = search.Seed,
            Population = search.Population ?? SearchSettings.DefaultPopulation(search.MaxTrials ?? 0),
            Seeds = spec.Seeds,
            Asha = search.Asha,
            Rungs = search.Asha is { } asha ? AshaPromotion.Rungs(asha, spec.Training.Steps) : [],
        });
    }

    // Task settings are read and checked here, once; trials carry them normalized (every key, lists as arrays).
    private static TaskChoice ValidateTask(TaskChoice task, Failer fail)
    {
        var names = TaskCatalog.Names;
        if (!names.Contains(task.Name))
            throw fail.At("task.name", $"unknown task '{task.Name}'; expected one of: {string.Join(", ", names)}");
        try { return TaskCatalog.Normalize(task); }
        catch (TaskSettingsException e) { throw fail.At($"task.settings.{e.Setting}", e.Message.TrimEnd('.'), e); }
        catch (ArgumentException e) { throw fail.At("task.settings", e.Message.TrimEnd('.'), e); }
    }

    private static PluginChoice Complete(IPlugin plugin, IReadOnlyDictionary<string, ParameterValue> given) =>
        new(plugin.Name, PluginParameters.WithDefaults(plugin.Parameters, given).Values);

    // One swept parameter: its listed (or gridded) values, or, for a range without a count, the interval to draw from.
    private sealed record SearchAxis(int Plugin, string Name, string Path, ParameterSpec Schema, IReadOnlyList<ParameterValue>? Values, SearchDimension? Dimension);

    private static List<SearchAxis> Axes(IPlugin plugin, PluginSweep sweep, int slot, SearchSampler sampler, Failer fail)
    {
        var axes = new List<SearchAxis>();
        foreach (var parameter in sweep.Parameters)
        {
            var schema = plugin.Parameters.FirstOrDefault(p => p.Name == parameter.Name)
                ?? throw fail.At(parameter.Path, $"'{plugin.Name}' has no parameter '{parameter.Name}'; expected one of: {(plugin.Parameters.Count == 0 ? "(it takes none)" : string.Join(", ", plugin.Parameters.Select(p => p.Name)))}");
            if (parameter.Range is { Count: null } continuous)
            {
                if (sampler == SearchSampler.Grid)
                    throw fail.At(parameter.Path, "expected a \"count\" in the range for grid search (a range without a count is an interval for \"random\" or \"nsga2\" search)");
                axes.Add(new SearchAxis(slot, parameter.Name, parameter.Path, schema, null, Dimension(schema, parameter, continuous, fail)));
            }
            else
            {
                if (sampler == SearchSampler.Nsga2 && !(parameter.Values is { Count: 1 }))
                    throw fail.At(parameter.Path, "expected a range {\"min\", \"max\"} without a count for nsga2 search (it moves parameters continuously); a list or a gridded range needs \"grid\" or \"random\"");
                axes.Add(new SearchAxis(slot, parameter.Name, parameter.Path, schema,
                    parameter.Range is { } range ? RangeValues(schema, parameter, range, fail) : ListValues(schema, parameter, fail), null));
            }
        }
        return axes;
    }

    // The interval a sampler draws from, checked against the schema at both ends (its bounds are inclusive).
    private static SearchDimension Dimension(ParameterSpec schema, ParameterSweep parameter, ValueRange range, Failer fail)
    {
        if (schema.Kind is not (ParameterKind.Real or ParameterKind.Integer))
            throw fail.At(parameter.Path, $"a range needs a numeric parameter; expected {schema.Expected} (a value or a list of them)");
        var scale = range.Scale ?? (schema.LogScale ? RangeScale.Log : RangeScale.Linear);
        if (scale == RangeScale.Log && range.Min <= 0)
            throw fail.At($"{parameter.Path}.min", $"expected min > 0 on a log scale{(range.Scale is null ? " (the parameter's default scale; set \"scale\": \"linear\")" : "")}, got {Format(range.Min)}");
        bool integer = schema.Kind == ParameterKind.Integer;
        foreach (var (end, value) in new[] { ("min", range.Min), ("max", range.Max) })
        {
            if (integer && value != Math.Round(value))
                throw fail.At($"{parameter.Path}.{end}", $"expected an integer bound for integer parameter '{schema.Name}', got {Format(value)}");
            if (schema.Validate(ParameterValue.Of(value)) is { } problem)
                throw fail.At($"{parameter.Path}.{end}", problem);
        }
        return new SearchDimension(parameter.Name, range.Min, range.Max, scale == RangeScale.Log, integer);
    }

    // Independent uniform draws, one per axis per trial, in axis order, from the one seeded generator.
    private static IEnumerable<ParameterValue[]> Draws(List<SearchAxis> axes, int count, Random random)
    {
        for (int n = 0; n < count; n++)
        {
            var draw = new ParameterValue[axes.Count];
            for (int a = 0; a < axes.Count; a++)
            {
                var axis = axes[a];
                draw[a] = axis.Values is { } values ? values[random.Next(values.Count)]
                    : ParameterValue.Of(axis.Dimension!.FromUnit(random.NextDouble()));
                Debug.Assert(axis.Schema.Validate(draw[a]) is null, $"{axis.Path}: a draw inside the checked bounds must pass the schema");
            }
            yield return draw;
        }
    }

    private static IReadOnlyList<ParameterValue> ListValues(ParameterSpec schema, ParameterSweep parameter, Failer fail)
    {
        var values = new List<ParameterValue>();
        foreach (var value in parameter.Values!)
        {
            // ParameterValue stores true/false as 1/0; the JSON kind must still match the parameter's.
            if (value.IsBoolean != (schema.Kind == ParameterKind.Boolean) && !value.Value.IsText)
                throw fail.At(value.Path, $"expected {schema.Expected}, got {(value.IsBoolean ? (value.Value.Number != 0 ? "true" : "false") : value.Value.ToString())}");
            if (schema.Validate(value.Value) is { } problem)
                throw fail.At(value.Path, problem);
            values.Add(value.Value);
        }
        return values;
    }

    private static IReadOnlyList<ParameterValue> RangeValues(ParameterSpec schema, ParameterSweep parameter, ValueRange range, Failer fail)
    {
        if (schema.Kind is not (ParameterKind.Real or ParameterKind.Integer))
            throw fail.At(parameter.Path, $"a range needs a numeric parameter; expected {schema.Expected} (a value or a list of them)");
        var scale = range.Scale ?? (schema.LogScale ? RangeScale.Log : RangeScale.Linear);
        if (scale == RangeScale.Log && range.Min <= 0)
            throw fail.At($"{parameter.Path}.min", $"expected min > 0 on a log scale{(range.Scale is null ? " (the parameter's default scale; set \"scale\": \"linear\" for an even grid)" : "")}, got {Format(range.Min)}");
        var numbers = range.Values(scale).ToList();
        if (schema.Kind == ParameterKind.Integer)
        {
            numbers = numbers.Select(x => Math.Round(x, MidpointRounding.AwayFromZero)).ToList();
            if (numbers.Distinct().Count() != numbers.Count)
                throw fail.At(parameter.Path, $"expected a range of distinct integers; {range.Count} values from {Format(range.Min)} to {Format(range.Max)} round to [{string.Join(", ", numbers.Select(Format))}] (lower count)");
        }
        var values = new List<ParameterValue>();
        for (int i = 0; i < numbers.Count; i++)
        {
            var value = ParameterValue.Of(numbers[i]);
            if (schema.Validate(value) is { } problem)
                throw fail.At(parameter.Path, $"range value {i + 1} of {numbers.Count}: {problem}");
            values.Add(value);
        }
        return values;
    }

    // All index tuples of the given axis lengths, the last axis varying fastest; one empty tuple when there are no axes.
    private static IEnumerable<int[]> Product(int[] lengths)
    {
        var index = new int[lengths.Length];
        while (true)
        {
            yield return (int[])index.Clone();
            int a = lengths.Length - 1;
            while (a >= 0 && ++index[a] == lengths[a]) index[a--] = 0;
            if (a < 0) yield break;
        }
    }

    private static string Known(IEnumerable<IPlugin> plugins)
    {
        var names = plugins.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "(none loaded)" : string.Join(", ", names);
    }

    private static string Format(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private sealed class Failer(string source)
    {
        public SweepSpecException At(string path, string expected, Exception? inner = null) =>
            new($"{source}: {path}: {expected}.".ReplaceLineEndings(" "), inner);
    }
}
