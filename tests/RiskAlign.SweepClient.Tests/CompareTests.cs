using RiskAlign.Framework.Comparison;

namespace RiskAlign.SweepClient.Tests;

/// <summary><c>compare</c> on hand-written sweep folders (trials.csv as TrialsCsvWriter writes it, trace.jsonl as the
/// client's span exporter writes it).</summary>
[Collection("Console")]
public sealed class CompareTests
{
    private const string Header = "index,id,arm,loss,risk,uncertainty_set,loss.beta,seed,status,drift,reward,kl/true,steps,attempts,wall_seconds,tokens_per_second,placement,error";

    private static string Row(int i, string sweep, string arm, string status, string drift, string reward, double wall) =>
        $"{i},{sweep}-{i},{arm},dpo,,nominal,0.1,0,{status},{drift},{reward},{drift},20,1,{wall},100,\"silo, cpu:0\",";

    private static string Span(string trace, string span, string? parent, string name, double ms, string? trialId = null) =>
        $$"""{"trace_id":"{{trace}}","span_id":"{{span}}","parent_span_id":{{(parent is null ? "null" : $"\"{parent}\"")}},"name":"{{name}}","source":"RiskAlign","start":"2026-01-01T00:00:00Z","duration_ms":{{ms}},"status":"Unset","tags":{{(trialId is null ? "{}" : $"{{\"riskalign.trial.id\":\"{trialId}\"}}")}}}""";

    /// <summary>Sweep a: (0.1, 0.5), (0.3, 0.8) and a diverged trial; sweep b: (0.2, 0.6), (0.5, 0.9).</summary>
    private static (string A, string B) TwoSweeps(TempFolder folder)
    {
        folder.File("a/trials.csv", string.Join("\r\n", Header, Row(0, "a", "dpo", "Completed", "0.1", "0.5", 2), Row(1, "a", "tdpo2", "Completed", "0.3", "0.8", 4),
            Row(2, "a", "tdpo2", "Diverged", "", "", 1)) + "\r\n");
        folder.File("a/trace.jsonl", string.Join("\n",
            Span("t1", "s1", "c1", "riskalign.trial", 2000, "a-0"), Span("t1", "b1", "s1", "riskalign.task.build", 500),
            Span("t1", "r1", "s1", "riskalign.train", 1400), Span("t1", "e1", "r1", "riskalign.eval", 300), Span("t1", "e2", "r1", "riskalign.eval", 200),
            Span("t1", "s2", "c1", "riskalign.trial", 4000, "a-1")));
        folder.File("b/trials.csv", string.Join("\r\n", Header, Row(0, "b", "dpo", "Completed", "0.2", "0.6", 3), Row(1, "b", "tdpo2", "Completed", "0.5", "0.9", 5)) + "\r\n");
        folder.File("b/trace.jsonl", Span("t2", "s3", null, "riskalign.trial", 3000, "b-0"));
        return (Path.Combine(folder.Path, "a"), Path.Combine(folder.Path, "b"));
    }

    [Fact]
    public void Hypervolumes_share_one_reference_point_and_diverged_trials_are_off_the_front()
    {
        using var folder = new TempFolder();
        var (a, b) = TwoSweeps(folder);
        var comparison = SweepComparison.Of([SweepFolder.Load(a), SweepFolder.Load(b)]);

        // Reference = worst drift and worst reward over both sweeps' completed trials: (0.5, 0.5).
        Assert.Equal((0.5, 0.5), comparison.Reference);
        // a: boxes [0.1, 0.3] × [0.5, 0.5] (height 0) and [0.3, 0.5] × [0.5, 0.8] → 0.2 · 0.3 = 0.06.
        Assert.Equal(0.06, comparison.Fronts[0].Hypervolume, 12);
        // b: [0.2, 0.5] × [0.5, 0.6] → 0.3 · 0.1 = 0.03; (0.5, 0.9) sits on the reference drift, width 0.
        Assert.Equal(0.03, comparison.Fronts[1].Hypervolume, 12);
        Assert.DoesNotContain(comparison.Fronts[0].Points, t => t.Status == "Diverged");
        Assert.Equal(2, comparison.Fronts[0].Points.Count);
    }

    [Fact]
    public void Span_timings_sum_a_trials_task_build_train_and_eval_descendants()
    {
        using var folder = new TempFolder();
        var (a, _) = TwoSweeps(folder);
        var trial = SweepFolder.Load(a).Trials.Single(t => t.Id == "a-0");
        Assert.Equal(new TrialTimings("t1", "s1", 2000, 500, 1400, 500), trial.Timings);
        Assert.True(double.IsNaN(SweepFolder.Load(a).Trials.Single(t => t.Id == "a-1").Timings!.TrainMs)); // no train span in the trace
    }

    [Fact]
    public async Task Compare_prints_the_tables_and_writes_markdown_and_plots()
    {
        using var folder = new TempFolder();
        var (a, b) = TwoSweeps(folder);
        var output = Path.Combine(folder.Path, "cmp");
        var (exit, stdout, error) = await CliInvocation.InvokeAsync("compare", a, b, "--out", output, "--metric", "kl/true");
        Assert.True(exit == 0, error);
        Assert.Contains("## kl/true", stdout);
        Assert.Contains("| tdpo2 | 0.3 (1) | 0.5 (1) |", stdout); // the arm's mean kl/true in each sweep
        Assert.Contains("| a | 0 | dpo | Completed | 0.1 | 0.5 | t1 | 2.00 | 0.50 | 1.40 | 0.50 |", stdout);
        foreach (var file in new[] { "compare.md", "compare.png", "compare.svg" })
            Assert.True(new FileInfo(Path.Combine(output, file)).Length > 0, file);
    }

    [Fact]
    public async Task A_folder_without_trace_jsonl_is_named_with_exit_2()
    {
        using var folder = new TempFolder();
        var (a, b) = TwoSweeps(folder);
        File.Delete(Path.Combine(b, "trace.jsonl"));
        var (exit, _, error) = await CliInvocation.InvokeAsync("compare", a, b);
        Assert.Equal(2, exit);
        Assert.Contains(Path.Combine(b, "trace.jsonl"), error);
    }

    [Fact]
    public async Task A_malformed_trace_line_is_named_by_file_and_line()
    {
        using var folder = new TempFolder();
        var (a, b) = TwoSweeps(folder);
        File.AppendAllText(Path.Combine(b, "trace.jsonl"), "\n{not json");
        var (exit, _, error) = await CliInvocation.InvokeAsync("compare", a, b);
        Assert.Equal(2, exit);
        Assert.Contains("trace.jsonl:2:", error);
    }
}
