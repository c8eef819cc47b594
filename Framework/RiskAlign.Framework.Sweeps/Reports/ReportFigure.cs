using ScottPlot;
using SkiaSharp;

namespace RiskAlign.Framework.Reports;

/// <summary>Saves plots side by side as one PNG and one SVG (ScottPlot saves a single plot; this renders several
/// onto one Skia canvas).</summary>
internal static class ReportFigure
{
    /// <summary>Draws <paramref name="panels"/> left to right, each <paramref name="panelWidth"/> × <paramref name="height"/> pixels.</summary>
    public static void Save(string pngPath, string svgPath, IReadOnlyList<Plot> panels, int panelWidth, int height)
    {
        int width = panelWidth * Math.Max(1, panels.Count);
        using (var surface = SKSurface.Create(new SKImageInfo(width, height)))
        {
            Draw(surface.Canvas, panels, panelWidth, height);
            using var image = surface.Snapshot();
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            using var file = File.Create(pngPath);
            png.SaveTo(file);
        }
        using (new SolidLinesForSvg(panels))
        using (var file = File.Create(svgPath))
        using (var canvas = SKSvgCanvas.Create(new SKRect(0, 0, width, height), file))
            Draw(canvas, panels, panelWidth, height); // disposing the canvas closes the <svg> element
    }

    private static void Draw(SKCanvas canvas, IReadOnlyList<Plot> panels, int panelWidth, int height)
    {
        canvas.Clear(SKColors.White);
        for (int i = 0; i < panels.Count; i++)
        {
            // A plot clears the canvas before drawing: the clip keeps it to its own panel.
            canvas.Save();
            canvas.ClipRect(new SKRect(i * panelWidth, 0, (i + 1) * panelWidth, height));
            panels[i].Render(canvas, new PixelRect(i * panelWidth, (i + 1) * panelWidth, height, 0));
            canvas.Restore();
        }
    }
}
