using Microsoft.Extensions.DependencyInjection;
using RiskAlign.Framework.Plugins;

namespace RiskAlign.Silo.Trials;

/// <summary>Where the silo finds its plugins and assets (section <c>RiskAlign:Plugins</c>).</summary>
public sealed class PluginOptions
{
    public const string Section = "RiskAlign:Plugins";

    /// <summary>Path of plugins.json; null searches upward from the working directory for plugins-config/plugins.json.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Assets folder for tasks that read models or data; null uses ../shared/assets or RISKALIGN_ASSETS.</summary>
    public string? AssetsFolder { get; set; }

    /// <summary>Folder of the on-disk task-build cache (reference SFT, classifiers, labelled pairs, tokenised data),
    /// shared by later sweeps and by every silo pointed at the same folder; null or empty = builds are kept in this
    /// process only. The standalone silo and <c>run</c> default to <see cref="DefaultTaskCache"/>.</summary>
    public string? TaskCache { get; set; }

    /// <summary>Memory the frozen reference's outputs on a task build's pairs may take, shared by the build's trials on
    /// this silo: a size (<c>512MiB</c>) or a fraction of device memory (<c>25%</c>); <c>0</c> = a reference forward every
    /// step; null = 256 MiB (<see cref="Framework.Training.ReferenceOutputBudget"/>).</summary>
    public string? ReferenceBudget { get; set; }

    /// <summary>The cache folder the standalone silo and <c>run</c> use unless told otherwise (relative to the working directory).</summary>
    public const string DefaultTaskCache = "runs/task-cache";

    internal static PluginCatalog LoadCatalog(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PluginOptions>>().Value;
        return options.ConfigPath is null ? PluginCatalog.LoadDefault() : PluginCatalog.Load(options.ConfigPath);
    }
}
