using RiskAlign.Framework.Sweeps;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Trials;

/// <summary>Turns a sweep spec into its trials, checked against this silo's plugin catalog.</summary>
public interface ISweepExpander
{
    /// <summary>Throws SweepSpecException with a message naming the field for a bad spec.</summary>
    ExpandedSweep Expand(string specJson, string sourceName, string sweepId);
}

/// <summary>A sweep's name, trials and how many may run at once.</summary>
public sealed record ExpandedSweep(string Name, IReadOnlyList<TrialDefinition> Trials, int MaxConcurrentTrials);
