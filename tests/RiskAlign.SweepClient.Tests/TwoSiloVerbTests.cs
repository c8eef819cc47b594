using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskAlign.Framework.Comparison;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Reports;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;

namespace RiskAlign.SweepClient.Tests;

/// <summary>
/// Every cluster verb against a two-silo localhost cluster in this process (two silo hosts, the second joining the
/// first's primary silo port), each verb reaching the cluster through either silo's gateway as another machine
/// would, training the synthetic task for a few steps. Trials are placed at random over both silos, so the spans in
/// a fetched trace.jsonl come from whichever silo ran each trial.
/// </summary>
[Collection("Console")]
public sealed class TwoSiloVerbTests : IAsyncLifetime
{
    private readonly List<IHost> _silos = [];
    private string _gatewayA = "", _gatewayB = "";

    private static string Spec(TempFolder folder, int maxConcurrent, double[] betas, int steps = 4) =>
        SmallSyntheticSpec.Write(folder, "two", maxConcurrent, betas, steps);

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{PluginOptions.Section}:{nameof(PluginOptions.ConfigPath)}"] = PluginCatalog.LoadDefault().ConfigPath,
            [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = "1",
        };
        var primary = EmbeddedSiloHost.Build(settings);
        _silos.Add(primary);
        await primary.StartAsync();
        settings[$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.PrimarySiloPort)}"] = Setting(primary, nameof(RiskAlignClusterOptions.SiloPort));
        var second = EmbeddedSiloHost.Build(settings);
        _silos.Add(second);
        await second.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        (_gatewayA, _gatewayB) = (Setting(primary, nameof(RiskAlignClusterOptions.GatewayPort)), Setting(second, nameof(RiskAlignClusterOptions.GatewayPort)));
    }

    private static string Setting(IHost silo, string name) =>
        silo.Services.GetRequiredService<IConfiguration>()[$"{RiskAlignClusterOptions.Section}:{name}"]!;

    public async Task DisposeAsync()
    {
        foreach (var silo in Enumerable.Reverse(_silos))
        {
            try { await silo.StopAsync(TimeSpan.FromSeconds(5)); }
            finally { silo.Dispose(); }
        }
    }

    private static Task<(int Exit, string Out, string Error)> Cli(string gateway, params string[] args) =>
        CliInvocation.InvokeAsync([.. args, "--gateway", gateway, "--connect-timeout", "30"]);

    [Fact]
    public async Task Each_verb_works_through_either_gateway_and_results_writes_every_trials_spans()
    {
        using var folder = new TempFolder();
        var (exit, stdout, error) = await Cli(_gatewayA, "launch", Spec(folder, maxConcurrent: 2, [0.1, 0.3, 1.0, 3.0]));
        Assert.True(exit == 0, error);
        var id = stdout.Trim();

        (exit, stdout, error) = await Cli(_gatewayB, "status", id);
        Assert.True(exit == 0, error);
        Assert.Contains(id, stdout);
        (exit, stdout, error) = await Cli(_gatewayB, "list");
        Assert.True(exit == 0, error);
        Assert.Contains(id, stdout);
        (exit, _, error) = await Cli(_gatewayB, "watch", id);
        Assert.True(exit == 0, error); // returns when the sweep completed

        var fetched = Path.Combine(folder.Path, "fetched");
        (exit, _, error) = await Cli(_gatewayA, "results", id, "--out", fetched);
        Assert.True(exit == 0, error);
        foreach (var file in SweepReport.FileNames.Append("trace.jsonl"))
            Assert.True(new FileInfo(Path.Combine(fetched, file)).Length > 0, file);
        // One trial span per trial, each with the task build, train and eval spans below it, from the silo that ran it.
        var timings = TraceTimings.Read(Path.Combine(fetched, "trace.jsonl"));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"{id}-{i}"), timings.Keys.Order());
        Assert.All(timings.Values, t => Assert.True(t.TaskBuildMs >= 0 && t.TrainMs > 0 && t.EvalMs > 0 && t.TrialMs >= t.TrainMs, t.ToString()));
        var trialSpans = File.ReadLines(Path.Combine(fetched, "trace.jsonl")).Count(l => l.Contains("\"name\":\"riskalign.trial\""));
        Assert.Equal(4, trialSpans);

        // compare takes an id (fetched from the cluster) next to a folder.
        (exit, stdout, error) = await Cli(_gatewayB, "compare", id, fetched);
        Assert.True(exit == 0, error);
        Assert.Contains($"| {id} | {id} (cluster at gateway localhost:{_gatewayB})", stdout);
        Assert.Contains("| fetched |", stdout);

        (exit, stdout, _) = await Cli(_gatewayB, "cancel", id);
        Assert.Equal(0, exit);
        Assert.Contains("already finished (Completed)", stdout);
        (exit, stdout, _) = await Cli(_gatewayA, "resume", id);
        Assert.Equal(0, exit);
        Assert.Contains("already finished", stdout);
    }

    [Fact]
    public async Task A_cancelled_sweep_resumes_its_cancelled_trials_from_the_start_and_keeps_the_rest()
    {
        using var folder = new TempFolder();
        // Trials long enough that the cancel, sent at once through the other gateway, lands while the first one runs or
        // has just finished: with 4-step trials, two of them could finish before it arrived.
        var (exit, stdout, error) = await Cli(_gatewayA, "launch", Spec(folder, maxConcurrent: 1, [0.1, 0.3, 1.0], steps: 600));
        Assert.True(exit == 0, error);
        var id = stdout.Trim();
        // At once: the first trial is running or done, the others never started.
        (exit, stdout, error) = await Cli(_gatewayB, "cancel", id, "--wait", "60");
        Assert.True(exit == 0, error);
        var (kept, stopped) = CliInvocation.CancelCounts(stdout);
        Assert.Equal(3, kept + stopped);
        Assert.True(stopped >= 2, stdout);

        var output = Path.Combine(folder.Path, "resumed");
        (exit, stdout, error) = await Cli(_gatewayB, "resume", id, "--out", output);
        Assert.True(exit == 0, error);
        ResumedCancelledSweep.AssertFinished(stdout, output, kept, stopped);
    }
}
