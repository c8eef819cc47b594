using System.Globalization;
using System.Text.Json;
using static RiskAlign.Framework.Tests.Reports.ReportTestData;

namespace RiskAlign.Framework.Tests.Reports;

public sealed class ReportWriterTests : ReportFolderTests
{
    [Fact]
    public void Trials_csv_has_the_documented_columns_one_row_per_trial()
    {
        TrialsCsvWriter.Write(PathOf("trials.csv"), Sweep());
        var rows = ReadCsv(File.ReadAllText(PathOf("trials.csv")));
        Assert.Equal(
            ["index", "id", "arm", "loss", "risk", "uncertainty_set", "loss.beta", "loss.alpha", "risk.confidence_level", "set.tau",
             "seed", "status", "drift", "reward", "kl/true", "reward/true", "rewards/accuracies", "risk/chosen",
             "steps", "attempts", "wall_seconds", "tokens_per_second", "peak_device_memory_bytes",
             "trainable_parameter_bytes", "optimizer_state_bytes", "placement", "saved_model", "error"],
            rows[0]);
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(rows[0].Count, r.Count));
        var row = (int i) => rows[0].Zip(rows[i + 1]).ToDictionary(p => p.First, p => p.Second);

        var first = row(0);
        Assert.Equal("s-0", first["id"]);
        Assert.Equal("", first["risk"]);
        Assert.Equal("0.05", first["loss.beta"]);
        Assert.Equal("", first["loss.alpha"]); // dpo has no alpha
        Assert.Equal("0.75", first["rewards/accuracies"]);
        Assert.Equal("", first["risk/chosen"]);
        Assert.Equal("Completed", first["status"]);
        Assert.Equal("0.1", first["drift"]);
        Assert.Equal("1234.5", first["tokens_per_second"]);

        var ra = row(2);
        Assert.Equal(["cvar", "kl", "0.95", "0.5", "0.3"], new[] { ra["risk"], ra["uncertainty_set"], ra["risk.confidence_level"], ra["set.tau"], ra["loss.alpha"] });
        Assert.Equal("silo-1, cuda:0", row(1)["placement"]);
        Assert.Equal("3221225472", row(1)["peak_device_memory_bytes"]);
        Assert.Equal("", first["peak_device_memory_bytes"]); // CPU: no per-trial figure

        var failed = row(4);
        Assert.Equal("Failed", failed["status"]);
        Assert.Equal("", failed["drift"]); // NaN
        Assert.Equal("", failed["reward"]);
        Assert.Equal("bad \"value\", here\nnext line", failed["error"]);
    }

    [Fact]
    public void Trials_csv_quotes_only_fields_that_need_it_and_ignores_the_current_culture()
    {
        Assert.Equal("plain", ReportFormat.Escape("plain"));
        Assert.Equal("\"a,b\"", ReportFormat.Escape("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", ReportFormat.Escape("say \"hi\""));
        Assert.Equal("\"two\r\nlines\"", ReportFormat.Escape("two\r\nlines"));

        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var text = new StringWriter();
            TrialsCsvWriter.Write(text, Sweep());
            Assert.Contains(",0.05,", text.ToString());
            Assert.DoesNotContain("0,05", text.ToString());
            Assert.Contains("\"bad \"\"value\"\", here\nnext line\"\r\n", text.ToString());
        }
        finally { CultureInfo.CurrentCulture = previous; }
    }

    [Fact]
    public void Pareto_json_holds_the_overall_and_per_arm_fronts_with_hypervolumes()
    {
        ParetoJsonWriter.Write(PathOf("pareto.json"), Sweep());
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf("pareto.json")));
        var root = doc.RootElement;
        Assert.Equal("kl/true", root.GetProperty("drift_metric").GetString());
        Assert.Equal("reward/true", root.GetProperty("reward_metric").GetString());
        Assert.Equal(5, root.GetProperty("trials").GetInt32());
        Assert.Equal(4, root.GetProperty("eligible").GetInt32());
        Assert.Equal(0.6, root.GetProperty("reference").GetProperty("drift").GetDouble());
        Assert.Equal(0.1, root.GetProperty("reference").GetProperty("reward").GetDouble());

        var overall = root.GetProperty("overall");
        Assert.Equal(0.17, overall.GetProperty("hypervolume").GetDouble(), 12); // by hand, see ReportTestData.Sweep
        var points = overall.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([0, 1], points.Select(p => p.GetProperty("index").GetInt32()));
        Assert.Equal("s-1", points[1].GetProperty("id").GetString());
        Assert.Equal("dpo", points[1].GetProperty("arm").GetString());
        Assert.Equal(0.3, points[1].GetProperty("drift").GetDouble());
        Assert.Equal(0.6, points[1].GetProperty("reward").GetDouble());
        Assert.Contains("seed=1", points[1].GetProperty("label").GetString());

        var arms = root.GetProperty("arms");
        Assert.Equal(["dpo", "ra-dpo2/cvar"], arms.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.17, arms.GetProperty("dpo").GetProperty("hypervolume").GetDouble(), 12);
        Assert.Equal(0.03, arms.GetProperty("ra-dpo2/cvar").GetProperty("hypervolume").GetDouble(), 12);
        Assert.Equal([2], arms.GetProperty("ra-dpo2/cvar").GetProperty("points").EnumerateArray().Select(p => p.GetProperty("index").GetInt32()));
    }

    [Fact]
    public void Pareto_json_writes_null_where_no_trial_finished()
    {
        ParetoJsonWriter.Write(PathOf("pareto.json"), [Result(0, "dpo", double.NaN, double.NaN, TrialStatus.Diverged, error: "loss became NaN")]);
        using var doc = JsonDocument.Parse(File.ReadAllText(PathOf("pareto.json")));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("overall").GetProperty("hypervolume").ValueKind);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("reference").GetProperty("drift").ValueKind);
        Assert.Empty(doc.RootElement.GetProperty("overall").GetProperty("points").EnumerateArray());
    }

    [Fact]
    public void The_plot_is_a_png_and_an_svg_naming_the_metrics()
    {
        FrontPlotter.Write(PathOf("p.png"), PathOf("p.svg"), Sweep(), "test sweep");
        var png = File.ReadAllBytes(PathOf("p.png"));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.True(png.Length > 5000, $"PNG of {png.Length} bytes");
        var svg = File.ReadAllText(PathOf("p.svg"));
        Assert.Contains("<svg", svg);
        Assert.True(svg.Length > 1000, $"SVG of {svg.Length} characters");
    }

    [Fact]
    public void The_plot_draws_even_when_no_trial_finished()
    {
        FrontPlotter.Write(PathOf("p.png"), PathOf("p.svg"), [Result(0, "dpo", double.NaN, double.NaN, TrialStatus.Failed, error: "x")]);
        Assert.True(new FileInfo(PathOf("p.png")).Length > 0);
        Assert.Contains("<svg", File.ReadAllText(PathOf("p.svg")));
    }

    [Fact]
    public void Report_md_names_the_sweep_counts_statuses_and_tabulates_the_front()
    {
        var md = ReportMarkdownWriter.Render("quickstart", Sweep());
        Assert.StartsWith("# Sweep quickstart\n", md);
        Assert.Contains("5 trials: 4 completed, 1 failed.", md);
        Assert.Contains("overall hypervolume 0.17", md);
        Assert.Contains("| 0 | s-0 | dpo | 0.1 | 0.2 |", md);
        Assert.Contains("| 1 | s-1 | dpo | 0.3 | 0.6 |", md);
        Assert.DoesNotContain("| 2 | s-2 |", md); // dominated by s-1
        Assert.Contains("| dpo | 2 | 2 | 2 | 0.17 | 0.6 (0.3, s-1) | 0.1 (0.2, s-0) |", md);
        Assert.Contains("| ra-dpo2/cvar | 3 | 2 | 1 | 0.03 | 0.4 (0.5, s-2) | 0.5 (0.4, s-2) |", md);
        Assert.Contains("- s-4 (ra-dpo2/cvar, failed): bad \"value\", here next line", md);
    }

    [Fact]
    public void WriteAll_writes_the_fixed_files_and_no_curve_file_when_no_metric_follows_the_shift_convention()
    {
        var outDir = PathOf("out/nested");
        var paths = SweepReport.WriteAll(outDir, "quickstart", Sweep());
        Assert.Equal(["trials.csv", "history.csv", "pareto.json", "pareto.png", "pareto.svg", "curves.png", "curves.svg", "report.md"], paths.Select(Path.GetFileName));
        Assert.Equal(SweepReport.FileNames, paths.Select(Path.GetFileName));
        Assert.All(paths, p => Assert.True(new FileInfo(p).Length > 0, p));
        Assert.Equal(paths.Order(), Directory.GetFiles(outDir).Order());
        var md = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| 1 | s-1 | dpo |", md);
        Assert.Contains("![training curves](curves.png)", md);
        Assert.DoesNotContain("curve-", md);
    }

    [Fact]
    public void WriteAll_adds_a_png_and_an_svg_per_shift_curve_family_and_returns_them()
    {
        var outDir = PathOf("out");
        var paths = SweepReport.WriteAll(outDir, "shift", Shifted());
        Assert.Equal([.. SweepReport.FileNames, "curve-reward-vs-alpha.png", "curve-reward-vs-alpha.svg"], paths.Select(Path.GetFileName));
        Assert.Equal(paths.Order(), Directory.GetFiles(outDir).Order());
        Assert.All(paths, p => Assert.True(new FileInfo(p).Length > 0, p));
    }

    [Fact]
    public void Report_md_tabulates_each_shift_curve_family_as_means_over_seeds()
    {
        var md = ReportMarkdownWriter.Render("shift", Shifted());
        Assert.Contains("## `reward` vs `alpha`\n\n![reward vs alpha](curve-reward-vs-alpha.png)", md);
        Assert.Contains("| arm | setting | seeds | 0 | 0.1 | 0.2 | 0.3 | 0.4 | 0.5 | 0.6 | 0.7 | 0.8 | 0.9 | 1 |", md);
        // reward/alpha=x = s·(1 − x/2) with s = 1 + β + 0.1·seed (ReportTestData.Shifted): β = 0.1 averages s = 1.1 and
        // 1.2, so 1.15 at x = 0, 1.15·0.95 = 1.0925 → 1.09 at 0.1, 0.575 at 1; β = 0.5 has s = 1.5, so 0.825 at 0.9 and
        // 0.75 at 1; the ra arm s = 2.
        Assert.Contains("| dpo | beta=0.1 | 2 | 1.15 | 1.09 |", md);
        Assert.Contains("| 0.633 | 0.575 |\n", md);
        Assert.Contains("| dpo | beta=0.5 | 1 | 1.5 | ", md);
        Assert.Contains("| 0.825 | 0.75 |\n", md);
        Assert.Contains("| ra-dpo2/cvar | beta=0.1 | 1 | 2 | 1.9 |", md);
        Assert.Contains("## Pareto front", md); // the existing sections stay
    }

    [Theory]
    [MemberData(nameof(Awkward), MemberType = typeof(ReportTestData))]
    public void WriteAll_never_throws_on_empty_single_missing_or_non_finite_input(string name, IReadOnlyList<TrialResult> results)
    {
        var paths = SweepReport.WriteAll(PathOf(name), name, results);
        Assert.All(paths, p => Assert.True(new FileInfo(p).Length > 0, p));
        Assert.Equal(paths.Order(), Directory.GetFiles(PathOf(name)).Order());
    }
}
