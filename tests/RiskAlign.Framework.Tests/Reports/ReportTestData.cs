using System.Text;

namespace RiskAlign.Framework.Tests.Reports;

internal static class ReportTestData
{
    public static TrialResult Result(int index, string arm, double drift, double reward, TrialStatus status = TrialStatus.Completed,
        string? error = null, string placement = "local/cpu", IReadOnlyDictionary<string, double>? extra = null)
    {
        bool ra = arm.StartsWith("ra", StringComparison.Ordinal);
        var metrics = new Dictionary<string, double> { ["kl/true"] = drift, ["reward/true"] = reward };
        foreach (var (k, v) in extra ?? new Dictionary<string, double>()) metrics[k] = v;
        return new TrialResult
        {
            Trial = new TrialDefinition
            {
                SweepId = "s", Index = index, Arm = arm,
                Task = new TaskChoice("synthetic"),
                Loss = ra
                    ? new PluginChoice("ra-dpo2", new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(0.1), ["alpha"] = ParameterValue.Of(0.3) })
                    : new PluginChoice("dpo", new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(0.05 * (index + 1)) }),
                Risk = ra ? new PluginChoice("cvar", new Dictionary<string, ParameterValue> { ["confidence_level"] = ParameterValue.Of(0.95) }) : null,
                UncertaintySet = ra
                    ? new PluginChoice("kl", new Dictionary<string, ParameterValue> { ["tau"] = ParameterValue.Of(0.5) })
                    : new PluginChoice("nominal", new Dictionary<string, ParameterValue>()),
                Training = new TrainingSettings { Seed = index % 2 },
            },
            Status = status,
            Error = error,
            Evaluations = status == TrialStatus.Failed ? [] : [new EvaluationPoint(10, new Dictionary<string, double> { ["kl/true"] = 9, ["reward/true"] = 9 }), new EvaluationPoint(20, metrics)],
            DriftMetric = "kl/true",
            RewardMetric = "reward/true",
            StepsCompleted = status == TrialStatus.Failed ? 0 : 20,
            WallSeconds = 1.5,
            TokensPerSecond = 1234.5,
            Placement = placement,
            PeakDeviceMemoryBytes = placement.Contains("cuda", StringComparison.Ordinal) ? 3_221_225_472 : null,
        };
    }

    /// <summary>A dpo trial with the given β and seed and exactly these evaluations (drift <c>kl/true</c>, reward <c>reward/true</c>).</summary>
    public static TrialResult Curve(int index, double beta, int seed, TrialStatus status, params EvaluationPoint[] evaluations)
    {
        var result = Result(index, "dpo", double.NaN, double.NaN, status);
        return result with
        {
            Trial = result.Trial with
            {
                Loss = new PluginChoice("dpo", new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(beta) }),
                Training = new TrainingSettings { Seed = seed },
            },
            Evaluations = evaluations,
        };
    }

    /// <summary>An evaluation at <paramref name="step"/> with these metrics.</summary>
    public static EvaluationPoint Eval(int step, params (string Metric, double Value)[] metrics) =>
        new(step, metrics.ToDictionary(m => m.Metric, m => m.Value));

    /// <summary>
    /// Five trials: dpo A(0.1, 0.2) and B(0.3, 0.6); ra-dpo2/cvar C(0.5, 0.4), D(0.6, 0.1) and a failed one.
    /// Overall front A, B; reference (worst drift 0.6, worst reward 0.1); hypervolume by hand:
    /// (0.3 − 0.1)·(0.2 − 0.1) + (0.6 − 0.3)·(0.6 − 0.1) = 0.02 + 0.15 = 0.17. The ra arm's front is C alone:
    /// (0.6 − 0.5)·(0.4 − 0.1) = 0.03.
    /// </summary>
    public static IReadOnlyList<TrialResult> Sweep() =>
    [
        Result(0, "dpo", 0.1, 0.2, extra: new Dictionary<string, double> { ["rewards/accuracies"] = 0.75 }),
        Result(1, "dpo", 0.3, 0.6, placement: "silo-1, cuda:0"),
        Result(2, "ra-dpo2/cvar", 0.5, 0.4, extra: new Dictionary<string, double> { ["risk/chosen"] = -0.5 }),
        Result(3, "ra-dpo2/cvar", 0.6, 0.1),
        Result(4, "ra-dpo2/cvar", double.NaN, double.NaN, TrialStatus.Failed, error: "bad \"value\", here\nnext line"),
    ];

    /// <summary>Two settings of dpo (β = 0.1 with two seeds, β = 0.5 with one) and an ra arm, with training curves and
    /// a reward-vs-alpha family at the final step.</summary>
    public static IReadOnlyList<TrialResult> Shifted()
    {
        static EvaluationPoint At(int step, double scale, bool final) => Eval(step,
            [("kl/true", 0.01 * step * scale), ("reward/true", 0.5 + 0.01 * step / scale),
             .. final ? Enumerable.Range(0, 11).Select(i => ($"reward/alpha={i / 10.0:0.00}", scale - 0.05 * i * scale)) : []]);
        var trials = new List<TrialResult>();
        foreach (var (index, beta, seed) in new[] { (0, 0.1, 0), (1, 0.1, 1), (2, 0.5, 0) })
            trials.Add(Curve(index, beta, seed, TrialStatus.Completed, At(10, 1 + beta + seed * 0.1, false), At(20, 1 + beta + seed * 0.1, false), At(30, 1 + beta + seed * 0.1, true)));
        var ra = Result(3, "ra-dpo2/cvar", 0, 0);
        trials.Add(ra with { Evaluations = [At(10, 2, false), At(20, 2, false), At(30, 2, true)] });
        return trials;
    }

    /// <summary>Inputs a report must survive: no results, one trial, only non-finite values, no metrics at all.</summary>
    public static TheoryData<string, IReadOnlyList<TrialResult>> Awkward() => new()
    {
        { "empty", Array.Empty<TrialResult>() },
        { "single", [Curve(0, 0.1, 0, TrialStatus.Completed, Eval(10, ("kl/true", 1), ("reward/true", 2), ("reward/alpha=0.5", 1)))] },
        { "nonfinite", [Curve(0, 0.1, 0, TrialStatus.Diverged, Eval(10, ("kl/true", double.NaN), ("reward/true", double.PositiveInfinity), ("reward/alpha=0.5", double.NegativeInfinity)))] },
        { "no-metrics", [Curve(0, 0.1, 0, TrialStatus.Completed, Eval(10)), Curve(1, 0.1, 1, TrialStatus.Failed)] },
    };

    // A strict RFC 4180 reader: proves the writer's quoting by reading the fields back.
    public static List<List<string>> ReadCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && text[i + 1] == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add(row); row = []; i++; }
            else field.Append(c);
        }
        Assert.Empty(row);
        Assert.Equal(0, field.Length);
        return rows;
    }
}
