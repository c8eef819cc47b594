using RiskAlign.Framework.Comparison;

namespace RiskAlign.SweepClient.Tests;

/// <summary>What <c>resume ID --out DIR</c> of a cancelled sweep must print and write, whatever the cluster.</summary>
internal static class ResumedCancelledSweep
{
    /// <summary>The kept and re-run counts in <paramref name="stdout"/>; every trial once, completed, in trials.csv; one
    /// trial span each in trace.jsonl.</summary>
    public static void AssertFinished(string stdout, string output, int kept, int stopped)
    {
        Assert.Contains($"{kept} finished trials kept, {stopped} cancelled trials run again from the start", stdout);
        var rows = File.ReadAllLines(Path.Combine(output, "trials.csv"));
        Assert.Equal(kept + stopped + 1, rows.Length);
        Assert.All(rows.Skip(1), row => Assert.Contains(",Completed,", row));
        Assert.Equal(kept + stopped, TraceTimings.Read(Path.Combine(output, "trace.jsonl")).Count);
    }
}
