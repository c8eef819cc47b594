using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Training;
using TorchSharp;

namespace RiskAlign.Silo.Trials;

/// <summary>Runs trials with the plugins of this silo's catalog and the Framework's trainer. The trial executor
/// turns every error (plugin resolution included) into the trial's result.</summary>
/// Task builds go through the on-disk cache of <see cref="PluginOptions.TaskCache"/>; whether a build was a cache hit or
/// how long it took is logged (and traced) once per build.
public sealed class CatalogTrialRunner(PluginCatalog catalog, IOptions<PluginOptions> options, ILogger<CatalogTrialRunner> logger) : ITrialRunner
{
    public TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
    {
        var context = new TaskContext(new torch.Device(device), options.Value.AssetsFolder)
        {
            CacheFolder = string.IsNullOrWhiteSpace(options.Value.TaskCache) ? null : options.Value.TaskCache,
            Log = line => logger.LogInformation("{TaskBuild}", line),
            ReferenceBudget = options.Value.ReferenceBudget is { Length: > 0 } budget ? ReferenceOutputBudget.Parse(budget) : null,
        };
        return TrialExecutor.Run(trial, () => catalog.Resolve(trial), context, progress, cancellationToken);
    }
}
