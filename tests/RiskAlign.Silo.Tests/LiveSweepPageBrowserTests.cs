using System.Text.RegularExpressions;
using RiskAlign.Silo.Dashboard;
using SkiaSharp;

namespace RiskAlign.Silo.Tests;

/// <summary>The live page as headless Chromium renders it, against a silo holding a finished sweep
/// (<see cref="DashboardSweep"/>: five points in two arms, three on the front, a third arm whose trial diverged).</summary>
public sealed class LiveSweepPageBrowserTests
{
    [ChromiumFact]
    public async Task The_page_draws_every_finished_trial_coloured_by_arm_and_the_front()
    {
        await using var silo = await DashboardSweep.StartAsync();

        var dom = await HeadlessChromium.DumpDomAsync(new Uri(silo.BaseAddress, LiveDashboard.PagePath));

        var points = Regex.Matches(dom, "<circle class=\"point( on-front)?\"[^>]*data-arm=\"([^\"]+)\"").ToList();
        Assert.Equal(5, points.Count);
        Assert.Equal(3, points.Count(m => m.Groups[1].Success));
        Assert.Equal([("dpo", 3), ("ra-dpo2", 2)], points.GroupBy(m => m.Groups[2].Value).Select(g => (g.Key, g.Count())).OrderBy(p => p.Key));
        Assert.Matches("<path class=\"front\" d=\"M[^\"]+H[^\"]+\"", dom);
        Assert.Contains("live page test (live-1)", dom);
        Assert.Contains("Completed: 6 of 6 trials finished", dom);
    }

    [ChromiumFact]
    public async Task A_screenshot_of_the_page_shows_the_arm_colours()
    {
        await using var silo = await DashboardSweep.StartAsync();

        var png = await HeadlessChromium.ScreenshotAsync(new Uri(silo.BaseAddress, LiveDashboard.PagePath), 1100, 800);

        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal((1100, 800), (bitmap.Width, bitmap.Height));
        // Each drawn point is a disc of radius 7 (about 150 pixels) in its arm's colour; the legend adds a small swatch.
        // dpo has three points, ra-dpo2 two; wdpo (no point) shows only as its swatch.
        int dpo = CountNear(bitmap, LiveSweepView.Category10[0]), raDpo2 = CountNear(bitmap, LiveSweepView.Category10[1]);
        Assert.True(dpo > 3 * 100, $"{dpo} pixels of dpo's colour");
        Assert.True(raDpo2 > 2 * 100, $"{raDpo2} pixels of ra-dpo2's colour");
        Assert.True(raDpo2 < dpo, $"ra-dpo2 ({raDpo2} pixels) has fewer points than dpo ({dpo})");
        Assert.True(CountNear(bitmap, LiveSweepView.Category10[2]) < 100, "wdpo has no point, only its legend swatch");
    }

    private static int CountNear(SKBitmap bitmap, string hex)
    {
        var colour = SKColor.Parse(hex);
        int count = 0;
        foreach (var pixel in bitmap.Pixels)
            if (Math.Abs(pixel.Red - colour.Red) <= 8 && Math.Abs(pixel.Green - colour.Green) <= 8 && Math.Abs(pixel.Blue - colour.Blue) <= 8)
                count++;
        return count;
    }
}
