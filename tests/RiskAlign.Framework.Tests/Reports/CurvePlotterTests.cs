using static RiskAlign.Framework.Tests.Reports.ReportTestData;

namespace RiskAlign.Framework.Tests.Reports;

public sealed class CurvePlotterTests : ReportFolderTests
{
    private static void AssertImages(string png, string svg)
    {
        var bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        var text = File.ReadAllText(svg);
        Assert.StartsWith("<?xml", text);
        Assert.EndsWith("</svg>", text.TrimEnd());
    }

    [Fact]
    public void Training_curves_are_a_png_and_a_complete_svg()
    {
        TrainingCurvePlotter.Write(PathOf("curves.png"), PathOf("curves.svg"), Shifted(), "test");
        AssertImages(PathOf("curves.png"), PathOf("curves.svg"));
        Assert.True(new FileInfo(PathOf("curves.png")).Length > 10000);
    }

    [Fact]
    public void A_shift_curve_is_a_png_and_a_complete_svg()
    {
        var results = Shifted();
        ShiftCurvePlotter.Write(PathOf("shift.png"), PathOf("shift.svg"), results, ShiftCurveFamily.In(results).Single(), "test");
        AssertImages(PathOf("shift.png"), PathOf("shift.svg"));
    }

    [Theory]
    [MemberData(nameof(Awkward), MemberType = typeof(ReportTestData))]
    public void Plots_draw_without_throwing_for_awkward_input(string name, IReadOnlyList<TrialResult> results)
    {
        TrainingCurvePlotter.Write(PathOf($"{name}.png"), PathOf($"{name}.svg"), results);
        AssertImages(PathOf($"{name}.png"), PathOf($"{name}.svg"));
        ShiftCurvePlotter.Write(PathOf($"{name}-s.png"), PathOf($"{name}-s.svg"), results, new ShiftCurveFamily("reward", "alpha", "x"));
        AssertImages(PathOf($"{name}-s.png"), PathOf($"{name}-s.svg"));
    }
}
