using System.Globalization;
using System.Text;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// <c>trials.csv</c>: one row per trial, by index. Columns: index, id, arm, loss, risk, uncertainty_set, one column per
/// parameter (<c>loss.beta</c>, <c>risk.confidence_level</c>, <c>set.tau</c>; union over trials, in order of first
/// appearance), seed, status, drift, reward, every final metric (union over trials, sorted ordinally), steps,
/// attempts, wall_seconds, tokens_per_second, peak_device_memory_bytes (empty on the CPU), trainable_parameter_bytes and
/// optimizer_state_bytes (what the trial's policy trains and AdamW keeps for it), placement, saved_model (the folder
/// of the saved policy, empty when none), error. RFC 4180 (CRLF, quotes where needed), invariant culture,
/// NaN and absent values as empty fields. drift and reward are final values, so they are empty for every trial that did
/// not complete (a diverged trial would otherwise show its last finite evaluation, often step 0, as a result); the final
/// metric columns are empty for a diverged trial and hold a cancelled or stopped (ASHA) trial's last (partial) evaluation. history.csv
/// keeps every evaluation of every trial.
/// </summary>
public static class TrialsCsvWriter
{
    private static readonly string[] Leading = ["index", "id", "arm", "loss", "risk", "uncertainty_set"];
    private static readonly string[] Middle = ["seed", "status", "drift", "reward"];
    private static readonly string[] Trailing = ["steps", "attempts", "wall_seconds", "tokens_per_second", "peak_device_memory_bytes",
        "trainable_parameter_bytes", "optimizer_state_bytes", "placement", "saved_model", "error"];

    // 0 = not measured (a trial that failed before its policy existed)
    private static string Bytes(long bytes) => bytes > 0 ? bytes.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>Writes the table to <paramref name="path"/> (UTF-8, no BOM), replacing any file there.</summary>
    public static void Write(string path, IReadOnlyList<TrialResult> results)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        Write(writer, results);
    }

    /// <summary>Writes the table to <paramref name="writer"/>.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<TrialResult> results)
    {
        var rows = results.OrderBy(r => r.Trial.Index).ToList();
        var parameterColumns = rows.SelectMany(r => ReportFormat.Parameters(r.Trial).Select(p => p.Column)).Distinct().ToList();
        var taken = Leading.Concat(Middle).Concat(Trailing).Concat(parameterColumns).ToHashSet(StringComparer.Ordinal);
        var metrics = rows.SelectMany(r => ReportFormat.FinalMetrics(r).Keys).Distinct().Order(StringComparer.Ordinal).ToList();

        ReportFormat.CsvRow(writer, [.. Leading, .. parameterColumns, .. Middle, .. metrics.Select(m => ReportFormat.MetricColumn(m, taken)), .. Trailing]);
        foreach (var r in rows)
        {
            var t = r.Trial;
            var parameters = ReportFormat.Parameters(t).ToDictionary(p => p.Column, p => ReportFormat.Value(p.Value), StringComparer.Ordinal);
            bool completed = r.Status == TrialStatus.Completed;
            var final = r.Status == TrialStatus.Diverged ? new Dictionary<string, double>() : ReportFormat.FinalMetrics(r);
            var fields = new List<string>
            {
                t.Index.ToString(CultureInfo.InvariantCulture), t.Id, t.Arm, t.Loss.Name, t.Risk?.Name ?? "", t.UncertaintySet.Name,
            };
            fields.AddRange(parameterColumns.Select(c => parameters.GetValueOrDefault(c, "")));
            fields.AddRange([t.Training.Seed.ToString(CultureInfo.InvariantCulture), r.Status.ToString(),
                completed ? ReportFormat.Number(r.Drift) : "", completed ? ReportFormat.Number(r.Reward) : ""]);
            fields.AddRange(metrics.Select(m => final.TryGetValue(m, out var v) ? ReportFormat.Number(v) : ""));
            fields.AddRange([r.StepsCompleted.ToString(CultureInfo.InvariantCulture), r.Attempts.ToString(CultureInfo.InvariantCulture), ReportFormat.Number(r.WallSeconds),
                ReportFormat.Number(r.TokensPerSecond), r.PeakDeviceMemoryBytes?.ToString(CultureInfo.InvariantCulture) ?? "",
                Bytes(r.TrainableParameterBytes), Bytes(r.OptimizerStateBytes), r.Placement, r.SavedModel ?? "", r.Error ?? ""]);
            ReportFormat.CsvRow(writer, fields);
        }
    }
}
