using ScottPlot;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>One colour per arm (Category10, arms in order of first appearance in the results), so every plot of a
/// sweep colours an arm alike.</summary>
internal sealed class ArmPalette(IEnumerable<TrialResult> results)
{
    private static readonly IPalette Colours = new ScottPlot.Palettes.Category10();
    private readonly List<string> _arms = results.Select(r => r.Trial.Arm).Distinct().ToList();

    /// <summary>The arms, in order of first appearance.</summary>
    public IReadOnlyList<string> Arms => _arms;

    /// <summary>The colour of <paramref name="arm"/>; an arm not in the results gets the first colour.</summary>
    public Color For(string arm) => Colours.GetColor(Math.Max(0, _arms.IndexOf(arm)));
}
