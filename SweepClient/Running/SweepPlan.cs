namespace RiskAlign.SweepClient.Running;

/// <summary>
/// A spec checked as far as the client can before anything starts: plugins and parameters (the planner), and the
/// task's files (<see cref="TaskInputCheck"/>). Used by <c>validate</c>, <c>run</c> and <c>launch</c>.
/// </summary>
public sealed record SweepPlan(PluginCatalog Catalog, SweepSpec Spec, string SweepId, IReadOnlyList<TrialDefinition> Trials)
{
    /// <exception cref="SweepSpecException">A bad spec.</exception>
    /// <exception cref="InputCheckException">A missing, empty or malformed task file.</exception>
    public static SweepPlan Prepare(FileInfo specFile, FileInfo? plugins, DirectoryInfo? assets)
    {
        var catalog = plugins is { } pluginsFile ? PluginCatalog.Load(pluginsFile.FullName) : PluginCatalog.LoadDefault();
        var spec = SweepSpec.Load(specFile.FullName);
        // Unique even for the same spec launched twice in one second; the name stays readable in the id.
        var sweepId = $"{spec.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        var trials = SweepPlanner.Expand(spec, catalog, sweepId);
        TaskInputCheck.Check(trials.Select(t => t.Task), assets?.FullName);
        TaskInputCheck.CheckLora(trials.Select(t => t.Task), spec.Training.Lora, assets?.FullName);
        return new SweepPlan(catalog, spec, sweepId, trials);
    }
}
