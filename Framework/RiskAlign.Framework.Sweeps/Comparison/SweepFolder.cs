using System.Globalization;
using System.Text.Json;

namespace RiskAlign.Framework.Comparison;

/// <summary>A sweep's output folder as <c>compare</c> reads it: <c>trials.csv</c> and <c>trace.jsonl</c> (both
/// required), and the metric names from <c>pareto.json</c> when present. Nothing else, and no cluster.</summary>
public sealed class SweepFolder
{
    /// <summary>Files a folder must hold.</summary>
    public static IReadOnlyList<string> RequiredFiles { get; } = ["trials.csv", "trace.jsonl"];

    private SweepFolder(string path, string name, string driftMetric, string rewardMetric, IReadOnlyList<ComparedTrial> trials)
    {
        Path = path;
        Name = name;
        DriftMetric = driftMetric;
        RewardMetric = rewardMetric;
        Trials = trials;
    }

    /// <summary>The folder as given (or what it was fetched from, such as a sweep id on a cluster).</summary>
    public string Path { get; }
    /// <summary>The folder's name, used as the sweep's label.</summary>
    public string Name { get; }
    public string DriftMetric { get; }
    public string RewardMetric { get; }
    public IReadOnlyList<ComparedTrial> Trials { get; }

    /// <param name="folder">The folder to read.</param>
    /// <param name="shownAs">What to show as its <see cref="Path"/> instead of <paramref name="folder"/> (a folder
    /// fetched into a temporary place shows where it came from).</param>
    /// <exception cref="ComparisonInputException">The folder or a required file is missing or malformed (the message names it).</exception>
    public static SweepFolder Load(string folder, string? shownAs = null)
    {
        if (!Directory.Exists(folder)) throw new ComparisonInputException($"{folder}: no such sweep folder (expected the --out folder of a run or results).");
        foreach (var file in RequiredFiles)
            if (!File.Exists(System.IO.Path.Combine(folder, file)))
                throw new ComparisonInputException($"{System.IO.Path.Combine(folder, file)}: missing; compare needs {string.Join(" and ", RequiredFiles)} in every sweep folder.");
        var csvPath = System.IO.Path.Combine(folder, "trials.csv");
        var table = CsvTable.Parse(File.ReadAllText(csvPath), csvPath);
        foreach (var column in new[] { "index", "id", "arm", "status", "drift", "reward" })
            if (table.Column(column) < 0) throw new ComparisonInputException($"{csvPath}: no '{column}' column; is it a RiskAlign trials.csv?");
        var timings = TraceTimings.Read(System.IO.Path.Combine(folder, "trace.jsonl"));
        var (drift, reward) = MetricNames(System.IO.Path.Combine(folder, "pareto.json"));
        var trials = new List<ComparedTrial>();
        int index = table.Column("index"), id = table.Column("id"), arm = table.Column("arm"), status = table.Column("status");
        for (int r = 0; r < table.Rows.Count; r++)
        {
            var row = table.Rows[r];
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int c = 0; c < table.Header.Count; c++)
                if (c != index && double.TryParse(row[c], NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) metrics[table.Header[c]] = v;
            if (!int.TryParse(row[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
                throw new ComparisonInputException($"{csvPath}: row {r + 2}: index '{row[index]}' is not a whole number.");
            trials.Add(new ComparedTrial(i, row[id], row[arm], row[status], row[status] == "Completed",
                metrics.GetValueOrDefault("drift", double.NaN), metrics.GetValueOrDefault("reward", double.NaN), metrics, timings.GetValueOrDefault(row[id])));
        }
        var name = new DirectoryInfo(folder).Name;
        return new SweepFolder(shownAs ?? folder, name, drift, reward, trials);
    }

    private static (string Drift, string Reward) MetricNames(string paretoJson)
    {
        if (!File.Exists(paretoJson)) return ("drift", "reward");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(paretoJson));
            var root = document.RootElement;
            return (root.TryGetProperty("drift_metric", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "drift",
                    root.TryGetProperty("reward_metric", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString()! : "reward");
        }
        catch (JsonException e)
        {
            throw new ComparisonInputException($"{paretoJson}:{(e.LineNumber ?? 0) + 1}: not valid JSON.", e);
        }
    }
}
