using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Training;
using TorchSharp;

namespace RiskAlign.Silo.Trials;

/// <summary>Runs trials with the plugins of this silo's catalog and the Framework's trainer. The trial executor
/// turns every error (plugin resolution included) into the trial's result.</summary>
public sealed class CatalogTrialRunner(PluginCatalog catalog, IOptions<PluginOptions> options) : ITrialRunner
{
    public TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken) =>
        TrialExecutor.Run(trial, () => catalog.Resolve(trial), new TaskContext(new torch.Device(device), options.Value.AssetsFolder), progress, cancellationToken);
}
