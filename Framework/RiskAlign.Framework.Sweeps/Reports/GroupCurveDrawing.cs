using ScottPlot;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// Draws one line per <see cref="TrialGroup"/> onto a plot: the arm's colour (<see cref="ArmPalette"/>), a line
/// pattern and marker that tell an arm's groups apart, the group's name in the legend and, where asked and more than
/// one seed contributes, the min–max over seeds as a shaded band.
/// </summary>
internal static class GroupCurveDrawing
{
    private static readonly LinePattern[] Patterns = [LinePattern.Solid, LinePattern.Dashed, LinePattern.Dotted, LinePattern.DenselyDashed];
    private static readonly MarkerShape[] Markers = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond, MarkerShape.OpenCircle, MarkerShape.OpenSquare];

    /// <summary>Adds the curves (with legend text, the legend itself left to the caller); returns how many groups had a point to draw.</summary>
    public static int Draw(Plot plot, IReadOnlyList<TrialGroup> groups, ArmPalette palette, Func<TrialGroup, IReadOnlyList<CurvePoint>> curve, bool band)
    {
        int drawn = 0;
        var perArm = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            int k = perArm[group.Arm] = perArm.GetValueOrDefault(group.Arm, -1) + 1; // the group's place within its arm
            var points = curve(group);
            if (points.Count == 0) continue;
            var colour = palette.For(group.Arm);
            double[] xs = points.Select(p => p.X).ToArray();
            if (band && points.Any(p => p.Seeds > 1))
            {
                var fill = plot.Add.FillY(xs, points.Select(p => p.Min).ToArray(), points.Select(p => p.Max).ToArray());
                fill.FillColor = colour.WithAlpha(0.15);
                fill.LineWidth = 0;
            }
            var line = plot.Add.Scatter(xs, points.Select(p => p.Mean).ToArray(), colour);
            line.LinePattern = Patterns[k % Patterns.Length];
            line.LineWidth = 2;
            line.MarkerShape = Markers[k % Markers.Length];
            line.MarkerSize = 6;
            line.LegendText = group.Name;
            drawn++;
        }
        return drawn;
    }
}
