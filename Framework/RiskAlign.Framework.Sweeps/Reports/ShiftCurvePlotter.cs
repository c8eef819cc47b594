using ScottPlot;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// <c>curve-&lt;series&gt;-vs-&lt;param&gt;.png</c> and <c>.svg</c>: one <see cref="ShiftCurveFamily"/> from the final
/// evaluations, x = the parameter's value, y = the series; one line per <see cref="TrialGroup"/> (mean over seeds,
/// <see cref="MetricCurves.Shift"/>) with the min–max over seeds shaded where more than one seed contributes,
/// coloured by arm as in <c>pareto.png</c>.
/// </summary>
public static class ShiftCurvePlotter
{
    /// <summary>Pixel size of both images.</summary>
    public const int Width = 1000, Height = 600;

    /// <summary>Draws the family's curves and saves them as PNG and SVG.</summary>
    /// <param name="title">Prefix of the plot title, for example the sweep's name.</param>
    public static void Write(string pngPath, string svgPath, IReadOnlyList<TrialResult> results, ShiftCurveFamily family, string? title = null)
    {
        using var plot = new Plot();
        int drawn = GroupCurveDrawing.Draw(plot, TrialGroup.Of(results), new ArmPalette(results), g => MetricCurves.Shift(g, family), band: true);
        if (drawn > 0) plot.ShowLegend(Edge.Right);
        plot.XLabel(family.Parameter);
        plot.YLabel($"{family.Series} (final evaluation)");
        plot.Title($"{(title is null ? "" : title + ": ")}{family.Series} vs {family.Parameter} ({(drawn > 0 ? "mean over seeds, band: min–max" : "no finite value")})");
        ReportFigure.Save(pngPath, svgPath, [plot], Width, Height);
    }
}
