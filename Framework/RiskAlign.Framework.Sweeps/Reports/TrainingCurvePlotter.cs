using ScottPlot;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// <c>curves.png</c> and <c>curves.svg</c>: the task's drift metric (left) and reward metric (right) against the
/// training step, one line per <see cref="TrialGroup"/> (mean over its seeds, <see cref="MetricCurves.Training"/>),
/// coloured by arm as in <c>pareto.png</c>. Only completed and diverged trials draw; non-finite values are skipped.
/// With nothing to draw the panels are empty but the files are still written. When some trial logged train rows
/// (<c>log_every</c>), a third panel draws the train <c>loss</c> (the step objective) against the step.
/// </summary>
public static class TrainingCurvePlotter
{
    /// <summary>Pixel size of one panel; the image is two panels wide.</summary>
    public const int PanelWidth = 800, Height = 560;

    /// <summary>Draws the curves and saves them as PNG and SVG.</summary>
    /// <param name="title">Prefix of both panel titles, for example the sweep's name.</param>
    public static void Write(string pngPath, string svgPath, IReadOnlyList<TrialResult> results, string? title = null)
    {
        var (drift, reward) = ReportFormat.MetricNames(results);
        var groups = TrialGroup.Of(results);
        var palette = new ArmPalette(results);
        using var driftPanel = Panel(groups, palette, drift, "drift, lower is better", title, legend: false);
        using var rewardPanel = Panel(groups, palette, reward, "reward, higher is better", title, legend: true);
        if (!results.Any(r => r.TrainLog.Count > 0))
        {
            ReportFigure.Save(pngPath, svgPath, [driftPanel, rewardPanel], PanelWidth, Height);
            return;
        }
        using var lossPanel = new Plot();
        int drawn = GroupCurveDrawing.Draw(lossPanel, groups, palette, g => MetricCurves.TrainLog(g, "loss"), band: false);
        lossPanel.HideLegend();
        lossPanel.XLabel("step");
        lossPanel.YLabel("loss (train rows: the step objective)");
        lossPanel.Title($"{(title is null ? "" : title + ": ")}train loss ({(drawn > 0 ? "mean over seeds" : "no finite value")})");
        ReportFigure.Save(pngPath, svgPath, [driftPanel, rewardPanel, lossPanel], PanelWidth, Height);
    }

    private static Plot Panel(IReadOnlyList<TrialGroup> groups, ArmPalette palette, string metric, string role, string? title, bool legend)
    {
        var plot = new Plot();
        int drawn = GroupCurveDrawing.Draw(plot, groups, palette, g => MetricCurves.Training(g, metric), band: false);
        if (drawn > 0 && legend) plot.ShowLegend(Edge.Right);
        else plot.HideLegend(); // one legend for both panels
        plot.XLabel("step");
        plot.YLabel($"{metric} ({role})");
        plot.Title($"{(title is null ? "" : title + ": ")}{metric} during training ({(drawn > 0 ? "mean over seeds" : "no finite value")})");
        return plot;
    }
}
