namespace RiskAlign.Framework.Tests.SweepsTests;

/// <summary>Expands spec text with the test catalog, or returns the one-line error the planner gives a bad spec.</summary>
internal static class PlannerProbe
{
    public static IReadOnlyList<TrialDefinition> Expand(string json, string source) =>
        SweepPlanner.Expand(SweepSpec.Parse(json, source), SweepTestCatalog.Create(), "sw");

    /// <summary>The error of a spec the planner must refuse: one line, naming the source file first.</summary>
    public static string Fails(string json, string source)
    {
        var message = Assert.Throws<SweepSpecException>(() => Expand(json, source)).Message;
        Assert.StartsWith(source + ": ", message);
        Assert.DoesNotContain('\n', message);
        return message;
    }
}
