using RiskAlign.Framework.Pareto;
using ScottPlot;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// <c>pareto.png</c> and <c>pareto.svg</c>: every finished trial (completed, finite drift and reward) as a marker
/// coloured by arm, the overall front as a staircase (the best reward reachable at each drift), axes named after the
/// drift and reward metrics.
/// </summary>
public static class FrontPlotter
{
    /// <summary>Pixel size of both images.</summary>
    public const int Width = 900, Height = 600;

    /// <summary>Draws the results and saves them as PNG and SVG.</summary>
    /// <param name="title">Plot title; default names the two metrics.</param>
    public static void Write(string pngPath, string svgPath, IReadOnlyList<TrialResult> results, string? title = null)
    {
        using var plot = Build(results, title);
        plot.SavePng(pngPath, Width, Height);
        using (new SolidLinesForSvg([plot]))
            plot.SaveSvg(svgPath, Width, Height);
    }

    private static Plot Build(IReadOnlyList<TrialResult> results, string? title)
    {
        var (driftMetric, rewardMetric) = ReportFormat.MetricNames(results);
        var plot = new Plot();
        var palette = new ArmPalette(results);
        var finished = ParetoFront.Eligible(results).ToList();
        foreach (var arm in palette.Arms)
        {
            var points = finished.Where(r => r.Trial.Arm == arm).ToList();
            if (points.Count == 0) continue;
            var scatter = plot.Add.ScatterPoints(points.Select(r => r.Drift).ToArray(), points.Select(r => r.Reward).ToArray(), palette.For(arm));
            scatter.MarkerSize = 8;
            scatter.LegendText = arm;
        }

        var front = ParetoFront.Of(results).Points;
        if (front.Count > 0)
        {
            // Staircase: from each front point right to the next one's drift at its own reward, then up.
            var xs = new List<double>();
            var ys = new List<double>();
            for (int i = 0; i < front.Count; i++)
            {
                xs.Add(front[i].Drift); ys.Add(front[i].Reward);
                if (i + 1 < front.Count) { xs.Add(front[i + 1].Drift); ys.Add(front[i].Reward); }
            }
            var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), Colors.Black);
            line.LineWidth = 1.5f;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "Pareto front";
        }

        plot.XLabel($"{driftMetric} (drift, lower is better)");
        plot.YLabel($"{rewardMetric} (reward, higher is better)");
        plot.Title(title ?? $"{rewardMetric} vs {driftMetric}: {finished.Count} of {results.Count} trials finished");
        if (finished.Count > 0) plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }
}
