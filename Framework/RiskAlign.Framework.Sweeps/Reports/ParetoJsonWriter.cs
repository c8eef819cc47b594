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
///  "arms": {"dpo": {"hypervolume": ..., "points": [...]}, ...},
///  "settings": [{"arm": "dpo", "label": "beta=0.1", "indices": [0, 1], "completed": 2, "on_mean_front": true,
///                "drift": {"mean": 0.1, "half_width": 0.02, "min": 0.09, "max": 0.11}, "reward": {...}}],
///  "hypervolume_history": [{"trials": 1, "index": 0, "hypervolume": 0.0}, ...]}
/// </code>
/// Points run by drift ascending. <c>settings</c> treats seeds as replicates (<see cref="SettingSummary"/>: mean, 95%
/// t-interval half-width, min and max over completed seeds; <c>on_mean_front</c> on the means). <c>hypervolume_history</c>
/// is <see cref="Pareto.HypervolumeHistory"/> from the overall reference point. NaN (no eligible trial) is written as null.
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
        json.WriteStartArray("settings");
        foreach (var setting in SettingSummary.Of(results))
        {
            json.WriteStartObject();
            json.WriteString("arm", setting.Group.Arm);
            json.WriteString("label", setting.Group.Label);
            json.WriteStartArray("indices");
            foreach (var member in setting.Group.Members) json.WriteNumberValue(member.Trial.Index);
            json.WriteEndArray();
            json.WriteNumber("completed", setting.Completed);
            json.WriteBoolean("on_mean_front", setting.OnMeanFront);
            Interval(json, "drift", setting.Drift);
            Interval(json, "reward", setting.Reward);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("hypervolume_history");
        var history = HypervolumeHistory.Of(results, overall.Reference);
        for (int k = 0; k < history.Count; k++)
        {
            json.WriteStartObject();
            json.WriteNumber("trials", k + 1);
            json.WriteNumber("index", history[k].TrialIndex);
            Number(json, "hypervolume", history[k].Hypervolume);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Interval(Utf8JsonWriter json, string name, ReplicateInterval interval)
    {
        json.WriteStartObject(name);
        Number(json, "mean", interval.Mean);
        Number(json, "half_width", interval.HalfWidth);
        Number(json, "min", interval.Min);
        Number(json, "max", interval.Max);
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
