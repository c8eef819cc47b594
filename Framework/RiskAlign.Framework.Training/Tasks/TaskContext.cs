namespace RiskAlign.Framework.Tasks;

/// <summary>Where a task is built: the torch device its models live on and the assets folder (real models and
/// datasets; null = find it with <see cref="Assets.AssetLocator"/> when a task needs one).</summary>
public sealed record TaskContext(Device Device, string? AssetsFolder = null)
{
    /// <summary>CPU, assets found automatically.</summary>
    public static TaskContext Cpu => new(CPU);

    /// <summary>Folder of the on-disk task-build cache (<see cref="TaskBuildStore"/>); null = builds are kept in
    /// this process only.</summary>
    public string? CacheFolder { get; init; }

    /// <summary>Told one line per build this process makes or restores ("cache hit" or "built in N s"); null = silent
    /// (the trace still says it).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Memory the frozen reference's outputs on a build's pairs may take when its trials share them; null =
    /// <see cref="Training.ReferenceOutputBudget.Default"/>.</summary>
    public Training.ReferenceOutputBudget? ReferenceBudget { get; init; }
}
