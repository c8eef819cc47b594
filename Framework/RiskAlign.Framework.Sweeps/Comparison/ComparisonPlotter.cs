using ScottPlot;

namespace RiskAlign.Framework.Comparison;

/// <summary><c>compare.png</c>/<c>.svg</c>: every sweep's eligible trials as markers (one colour per sweep, one
/// marker shape per arm) and its front as a staircase in the same colour.</summary>
public static class ComparisonPlotter
{
    public const int Width = 900, Height = 600;
    private static readonly MarkerShape[] Shapes = [MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp,
        MarkerShape.FilledDiamond, MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond];

    public static void Write(string pngPath, string svgPath, SweepComparison comparison)
    {
        using var plot = new Plot();
        var colours = new ScottPlot.Palettes.Category10();
        for (int s = 0; s < comparison.Sweeps.Count; s++)
        {
            var sweep = comparison.Sweeps[s];
            var colour = colours.GetColor(s);
            foreach (var arm in comparison.Arms)
            {
                var points = sweep.Trials.Where(t => t.Arm == arm && t.Eligible).ToList();
                if (points.Count == 0) continue;
                var scatter = plot.Add.ScatterPoints(points.Select(t => t.Drift).ToArray(), points.Select(t => t.Reward).ToArray(), colour);
                scatter.MarkerSize = 8;
                scatter.MarkerShape = Shapes[comparison.Arms.ToList().IndexOf(arm) % Shapes.Length];
                scatter.LegendText = $"{sweep.Name}: {arm}";
            }
            var front = comparison.Fronts[s].Points;
            if (front.Count == 0) continue;
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < front.Count; i++)
            {
                xs.Add(front[i].Drift); ys.Add(front[i].Reward);
                if (i + 1 < front.Count) { xs.Add(front[i + 1].Drift); ys.Add(front[i].Reward); }
            }
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), colour);
            line.LineWidth = 1.5f;
            line.LegendText = $"{sweep.Name} front (hypervolume {comparison.Fronts[s].Hypervolume:G3})";
        }
        var first = comparison.Sweeps[0];
        plot.XLabel($"{first.DriftMetric} (drift, lower is better)");
        plot.YLabel($"{first.RewardMetric} (reward, higher is better)");
        plot.Title($"Pareto fronts: {string.Join(" vs ", comparison.Sweeps.Select(s => s.Name))}");
        plot.ShowLegend(Alignment.LowerRight);
        plot.SavePng(pngPath, Width, Height);
        plot.SaveSvg(svgPath, Width, Height);
    }
}
