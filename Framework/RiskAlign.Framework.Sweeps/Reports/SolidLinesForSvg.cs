using ScottPlot;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// Skia's SVG canvas cannot express path effects: for every dashed or dotted line it prints
/// "Unsupported path effect in addPaint." on stderr (from native code, so no .NET setting silences it) and draws the
/// line solid anyway. Within this scope the plots' line patterns are solid, so the SVG is the same and nothing is
/// printed; disposing restores the patterns (the PNG keeps its dashes).
/// </summary>
internal sealed class SolidLinesForSvg : IDisposable
{
    private readonly List<(IHasLine Plottable, LinePattern Pattern)> _changed = [];

    public SolidLinesForSvg(IEnumerable<Plot> plots)
    {
        foreach (var plottable in plots.SelectMany(p => p.GetPlottables()).OfType<IHasLine>())
        {
            if (plottable.LinePattern.Equals(LinePattern.Solid)) continue;
            _changed.Add((plottable, plottable.LinePattern));
            plottable.LinePattern = LinePattern.Solid;
        }
    }

    public void Dispose()
    {
        foreach (var (plottable, pattern) in _changed) plottable.LinePattern = pattern;
    }
}
