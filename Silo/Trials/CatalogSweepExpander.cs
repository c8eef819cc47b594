using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Sweeps;

namespace RiskAlign.Silo.Trials;

/// <summary>Expands specs with the silo's own plugin catalog, so a silo never accepts a trial it cannot run.</summary>
public sealed class CatalogSweepExpander(PluginCatalog catalog) : ISweepExpander
{
    public ExpandedSweep Expand(string specJson, string sourceName, string sweepId)
    {
        var spec = SweepSpec.Parse(specJson, sourceName);
        var trials = SweepPlanner.Expand(spec, catalog, sweepId);
        return new ExpandedSweep(spec.Name, trials, spec.MaxConcurrentTrials);
    }
}
