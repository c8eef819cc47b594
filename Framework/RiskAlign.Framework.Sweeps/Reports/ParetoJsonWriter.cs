using System.Text.Json;
using RiskAlign.Framework.Pareto;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// <c>pareto.json</c>: the overall front and one front per arm (all measured from the overall reference point, so
/// their hypervolumes compare), with the metric names. Shape:
/// <code>
/// {"drift_metric": "kl/true", "reward_metric": "reward/true",
///  "trials": 18, "eligible": 17,
///  "reference": {"drift": 0.9, "reward": 0.1},
///  "overall": {"hypervolume": 0.4, "points": [{"index": 3, "id": "s-3", "arm": "dpo", "label": "...", "drift": 0.1, "reward": 0.5}]},
///  "arms": {"dpo": {"hypervolume": ..., "points": [...]}, ...}}
/// </code>
/// Points run by drift ascending. NaN (no eligible trial) is written as null.
/// </summary>
public static class ParetoJsonWriter
{
    /// <summary>Writes the fronts of <paramref name="results"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<TrialResult> results)
    {
        using var stream = File.Create(path);
        Write(stream, results);
    }

    /// <summary>Writes the fronts of <paramref name="results"/> to <paramref name="stream"/> (UTF-8).</summary>
    public static void Write(Stream stream, IReadOnlyList<TrialResult> results)
    {
        var overall = ParetoFront.Of(results);
        var perArm = ParetoFront.PerArm(results);
        var (driftMetric, rewardMetric) = ReportFormat.MetricNames(results);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("drift_metric", driftMetric);
        json.WriteString("reward_metric", rewardMetric);
        json.WriteNumber("trials", results.Count);
        json.WriteNumber("eligible", ParetoFront.Eligible(results).Count());
        json.WriteStartObject("reference");
        Number(json, "drift", overall.Reference.Drift);
        Number(json, "reward", overall.Reference.Reward);
        json.WriteEndObject();
        json.WritePropertyName("overall");
        Front(json, overall);
        json.WriteStartObject("arms");
        foreach (var (arm, front) in perArm)
        {
            json.WritePropertyName(arm);
            Front(json, front);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Front(Utf8JsonWriter json, ParetoFront front)
    {
        json.WriteStartObject();
        Number(json, "hypervolume", front.Hypervolume);
        json.WriteStartArray("points");
        foreach (var r in front.Points)
        {
            json.WriteStartObject();
            json.WriteNumber("index", r.Trial.Index);
            json.WriteString("id", r.Trial.Id);
            json.WriteString("arm", r.Trial.Arm);
            json.WriteString("label", r.Trial.Label);
            Number(json, "drift", r.Drift);
            Number(json, "reward", r.Reward);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value)) json.WriteNumber(name, value);
        else json.WriteNull(name);
    }
}
