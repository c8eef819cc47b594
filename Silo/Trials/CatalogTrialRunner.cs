using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Training;
using TorchSharp;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Trials;

/// <summary>Runs trials with the plugins of this silo's catalog and the Framework's trainer.</summary>
public sealed class CatalogTrialRunner(PluginCatalog catalog, IOptions<PluginOptions> options, ILogger<CatalogTrialRunner> logger) : ITrialRunner
{
    public TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            var plugins = catalog.Resolve(trial);
            var context = new TaskContext(new torch.Device(device), options.Value.AssetsFolder);
            return TrialExecutor.Run(trial, plugins, context, progress, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return new TrialResult { Trial = trial, Status = TrialStatus.Cancelled, Error = "Cancelled before it finished." };
        }
        catch (Exception e)
        {
            logger.LogError(e, "Trial {TrialId} failed", trial.Id);
            return new TrialResult { Trial = trial, Status = TrialStatus.Failed, Error = e.Message };
        }
    }
}
