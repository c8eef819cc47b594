namespace RiskAlign.SweepClient.Running;

/// <summary>
/// A spec checked as far as the client can before anything starts: plugins and parameters (the planner), and the
/// task's files (<see cref="TaskInputCheck"/>). Used by <c>validate</c>, <c>run</c> and <c>launch</c>.
/// </summary>
/// <param name="Trials">Trials expanded before launch (none for nsga2 search).</param>
/// <param name="Search">What the sweep grain searches or stops on its own (nsga2 proposals, ASHA), or null.</param>
public sealed record SweepPlan(PluginCatalog Catalog, SweepSpec Spec, string SweepId, IReadOnlyList<TrialDefinition> Trials, SearchPlan? Search = null)
{
    /// <summary>Trials the sweep runs in all, proposed ones included.</summary>
    public int TrialCount => Trials.Count + (Search?.ProposedTrials ?? 0);

    /// <exception cref="SweepSpecException">A bad spec.</exception>
    /// <exception cref="InputCheckException">A missing, empty or malformed task file.</exception>
    public static SweepPlan Prepare(FileInfo specFile, FileInfo? plugins, DirectoryInfo? assets)
    {
        var catalog = plugins is { } pluginsFile ? PluginCatalog.Load(pluginsFile.FullName) : PluginCatalog.LoadDefault();
        var spec = SweepSpec.Load(specFile.FullName);
        // Unique even for the same spec launched twice in one second; the name stays readable in the id.
        var sweepId = $"{spec.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var planned = SweepPlanner.Plan(spec, catalog, sweepId);
        var tasks = planned.Trials.Select(t => t.Task).Concat(planned.Search?.Arms.Select(a => a.Template.Task) ?? []).ToList();
        TaskInputCheck.Check(tasks, assets?.FullName);
        TaskInputCheck.CheckLora(tasks, spec.Training.Lora, assets?.FullName);
        return new SweepPlan(catalog, spec, sweepId, planned.Trials, planned.Search);
    }
}
