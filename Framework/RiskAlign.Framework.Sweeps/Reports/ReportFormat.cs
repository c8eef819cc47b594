using System.Globalization;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>Number and name formatting shared by the report writers: invariant culture, NaN as nothing.</summary>
internal static class ReportFormat
{
    /// <summary>Round-trip text of a number; empty for NaN.</summary>
    public static string Number(double x) => double.IsNaN(x) ? "" : x.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Four (or <paramref name="digits"/>) significant digits for people; "–" for NaN.</summary>
    public static string Short(double x, int digits = 4) => double.IsNaN(x) ? "–" : x.ToString("G" + digits, CultureInfo.InvariantCulture);

    public static string Value(ParameterValue value) => value.Text ?? Number(value.Number);

    /// <summary>The metric names the results plot: the first non-empty name among them (a sweep has one task).</summary>
    public static (string Drift, string Reward) MetricNames(IEnumerable<TrialResult> results)
    {
        var list = results as IReadOnlyCollection<TrialResult> ?? results.ToList();
        return (list.Select(r => r.DriftMetric).FirstOrDefault(m => m.Length > 0) ?? "drift",
                list.Select(r => r.RewardMetric).FirstOrDefault(m => m.Length > 0) ?? "reward");
    }

    /// <summary>Parameter columns (<c>loss.beta</c>, <c>risk.confidence_level</c>, <c>set.tau</c>) and their values, in order of first appearance.</summary>
    public static IEnumerable<(string Column, ParameterValue Value)> Parameters(TrialDefinition trial)
    {
        foreach (var (name, value) in trial.Loss.Values) yield return ($"loss.{name}", value);
        if (trial.Risk is { } risk)
            foreach (var (name, value) in risk.Values) yield return ($"risk.{name}", value);
        foreach (var (name, value) in trial.UncertaintySet.Values) yield return ($"set.{name}", value);
    }

    /// <summary>
    /// The column of <paramref name="metric"/> in a table whose other columns are <paramref name="taken"/>: the metric's
    /// name, or <c>metric.</c> and the name where that would clash.
    /// </summary>
    public static string MetricColumn(string metric, IReadOnlySet<string> taken) => taken.Contains(metric) ? $"metric.{metric}" : metric;

    /// <summary>One CSV row: fields escaped as RFC 4180 asks (<see cref="Escape"/>), CRLF at the end.</summary>
    public static void CsvRow(TextWriter writer, IEnumerable<string> fields)
    {
        writer.Write(string.Join(",", fields.Select(Escape)));
        writer.Write("\r\n");
    }

    /// <summary>The metrics of the last evaluation, or none.</summary>
    public static IReadOnlyDictionary<string, double> FinalMetrics(TrialResult result) =>
        result.Evaluations.Count > 0 ? result.Evaluations[^1].Metrics : new Dictionary<string, double>();

    /// <summary>One RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (quotes doubled).</summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
