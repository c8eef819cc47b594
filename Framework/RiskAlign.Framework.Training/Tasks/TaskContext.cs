namespace RiskAlign.Framework.Tasks;

/// <summary>Where a task is built: the torch device its models live on and the assets folder (real models and
/// datasets; null = find it with <see cref="Assets.AssetLocator"/> when a task needs one).</summary>
public sealed record TaskContext(Device Device, string? AssetsFolder = null)
{
    /// <summary>CPU, assets found automatically.</summary>
    public static TaskContext Cpu => new(CPU);
}
