using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Trace;
using RiskAlign.Framework.Reports;
using RiskAlign.Framework.Telemetry;
using RiskAlign.SweepClient.Commands;
using RiskAlign.SweepClient.Running;

namespace RiskAlign.EndToEnd.Tests;

/// <summary>The whole path a user takes: real plugins from plugins.json, the synthetic task, an embedded Orleans
/// silo, training, the Pareto front and the files on disk.</summary>
public sealed class QuickSweepTests
{
    private const string SmallSweep = """
        {
          "name": "e2e",
          "task": { "name": "synthetic", "settings": { "train_pairs": 128, "eval_pairs": 32, "eval_samples": 64, "sft_steps": 100 } },
          "training": { "steps": 20, "batch_size": 8, "learning_rate": 0.002, "eval_every": 10 },
          "seeds": [0],
          "arms": [
            { "loss": { "name": "dpo", "params": { "beta": [0.1, 1.0] } }, "uncertainty_set": { "name": "nominal" } },
            { "loss": { "name": "ra-dpo2", "params": { "beta": 0.1 } }, "risk": { "name": "cvar" }, "uncertainty_set": { "name": "kl" } }
          ],
          "max_concurrent_trials": 2
        }
        """;

    [Fact]
    public async Task A_sweep_trains_through_the_embedded_silo_and_writes_trials_front_plot_report_and_one_trace()
    {
        using var folder = new TempFolder();
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(RiskAlignTelemetry.Name).AddInMemoryExporter(spans).Build();
        var console = new CapturedConsole();
        var output = Path.Combine(folder.Path, "out");

        int exit = await new SweepRun(new RunSettings
        {
            Spec = new FileInfo(folder.File("e2e.json", SmallSweep)),
            Out = new DirectoryInfo(output),
            CpuSlots = 2,
        }, console.Console).ExecuteAsync(CancellationToken.None);

        Assert.True(exit == 0, console.Text);
        foreach (var file in SweepReport.FileNames.Append("trace.jsonl"))
            Assert.True(new FileInfo(Path.Combine(output, file)).Length > 0, $"{file} missing or empty");
        Assert.Empty(Directory.GetFiles(output, "curve-*")); // the synthetic task reports no shift-curve metric
        Assert.Contains("history.csv", console.Text); // the "Wrote ..." line lists every file written
        var history = File.ReadAllLines(Path.Combine(output, "history.csv"));
        Assert.Equal(1 + 3 * 3, history.Length); // evaluations at steps 0, 10 and 20 of each of the 3 trials
        var csv = File.ReadAllLines(Path.Combine(output, "trials.csv"));
        Assert.Equal(1 + 3, csv.Length);
        using (var pareto = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "pareto.json"))))
            Assert.Equal(JsonValueKind.Object, pareto.RootElement.ValueKind);
        Assert.Contains("Pareto front", console.Text);

        // One trace: client → sweep → trial → train → eval.
        tracing.ForceFlush();
        var client = Assert.Single(spans, s => s.DisplayName == RiskAlignTelemetry.Spans.Client && s.GetTagItem(RiskAlignTelemetry.Tags.SweepId) is string id && id.StartsWith("e2e-"));
        var trace = spans.Where(s => s.TraceId == client.TraceId).ToList();
        var sweep = Assert.Single(trace, s => s.DisplayName == RiskAlignTelemetry.Spans.Sweep);
        var trials = trace.Where(s => s.DisplayName == RiskAlignTelemetry.Spans.Trial).ToList();
        var trains = trace.Where(s => s.DisplayName == RiskAlignTelemetry.Spans.Train).ToList();
        var evals = trace.Where(s => s.DisplayName == RiskAlignTelemetry.Spans.Eval).ToList();
        Assert.Equal(client.SpanId, sweep.ParentSpanId);
        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.Equal(sweep.SpanId, t.ParentSpanId));
        Assert.Equal(3, trains.Count);
        Assert.All(trains, t => Assert.Contains(trials, trial => trial.SpanId == t.ParentSpanId));
        Assert.NotEmpty(evals);
        Assert.All(evals, e => Assert.Contains(trains, train => train.SpanId == e.ParentSpanId));
    }

    [Theory]
    [InlineData("""{"name": "x", "task": {"name": "synthetic"}, "arms": [{"loss": {"name": "dpx"}, "uncertainty_set": {"name": "nominal"}}]}""", "arms[0].loss.name")]
    [InlineData("""{"name": "x", "task": {"name": "synthetic"}, "arms": [{"loss": {"name": "tdpo2", "params": {"alpha": -0.5}}, "uncertainty_set": {"name": "nominal"}}]}""", "arms[0].loss.params.alpha")]
    [InlineData("""{"name": "x", "task": {"name": "synthetic"}, "training": {"steps": "many"}, "arms": []}""", "training.steps")]
    [InlineData("""{"name": "x", "task": {"name": "synthetic"} "arms": []}""", "line 1")]
    public async Task A_bad_spec_exits_with_code_2_and_one_message_naming_the_field_before_anything_runs(string spec, string field)
    {
        using var folder = new TempFolder();
        var output = Path.Combine(folder.Path, "out");
        var error = new StringWriter();
        var previous = Console.Error;
        int exit;
        try
        {
            Console.SetError(error);
            exit = await CliApp.Build().Parse(["run", folder.File("bad.json", spec), "--out", output]).InvokeAsync();
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(2, exit);
        Assert.Contains(field, error.ToString());
        Assert.Contains("bad.json", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString()); // no stack trace
        Assert.False(Directory.Exists(output), "nothing may run or be written for a bad spec");
    }

    [Fact]
    public async Task A_non_empty_out_folder_is_refused_with_one_line_and_its_results_are_left_alone()
    {
        using var folder = new TempFolder();
        var output = Path.Combine(folder.Path, "out");
        Directory.CreateDirectory(output);
        var earlier = Path.Combine(output, "trials.csv");
        File.WriteAllText(earlier, "earlier results");
        var error = new StringWriter();
        var previous = Console.Error;
        int exit;
        try
        {
            Console.SetError(error);
            exit = await CliApp.Build().Parse(["run", folder.File("e2e.json", SmallSweep), "--out", output]).InvokeAsync();
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Equal(2, exit);
        Assert.Contains("--overwrite", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
        Assert.Equal("earlier results", File.ReadAllText(earlier));
    }
}
