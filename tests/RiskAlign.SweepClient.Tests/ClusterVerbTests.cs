using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Reports;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;

namespace RiskAlign.SweepClient.Tests;

/// <summary>launch, status, list, watch, results, cancel and resume against a real single-silo cluster in this
/// process, reached through its gateway port as a second machine would, training the synthetic task for a few steps.</summary>
[Collection("Console")]
public sealed class ClusterVerbTests : IAsyncLifetime
{
    private IHost _silo = null!;
    private string _gateway = "";

    private static string Spec(TempFolder folder, int steps) => folder.File($"tiny-{steps}.json", $$"""
        {
          "name": "tiny",
          "task": { "name": "synthetic", "settings": { "train_pairs": 64, "eval_pairs": 16, "eval_samples": 32, "sft_steps": 30 } },
          "training": { "steps": {{steps}}, "batch_size": 8, "learning_rate": 0.002, "eval_every": {{Math.Min(steps, 5)}} },
          "seeds": [0],
          "arms": [ { "loss": { "name": "dpo", "params": { "beta": [0.1, 1.0] } }, "uncertainty_set": { "name": "nominal" } } ],
          "max_concurrent_trials": 1
        }
        """);

    public async Task InitializeAsync()
    {
        _silo = EmbeddedSiloHost.Build(new Dictionary<string, string?>
        {
            [$"{PluginOptions.Section}:{nameof(PluginOptions.ConfigPath)}"] = PluginCatalog.LoadDefault().ConfigPath,
            [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = "1",
        });
        await _silo.StartAsync();
        _gateway = _silo.Services.GetRequiredService<IConfiguration>()[$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.GatewayPort)}"]!;
    }

    public async Task DisposeAsync()
    {
        await _silo.StopAsync(TimeSpan.FromSeconds(5));
        _silo.Dispose();
    }

    private Task<(int Exit, string Out, string Error)> Cli(params string[] args) => CliInvocation.InvokeAsync([.. args, "--gateway", _gateway]);

    [Fact]
    public async Task A_launched_sweep_is_listed_watched_and_its_results_written_from_the_cluster()
    {
        using var folder = new TempFolder();
        var (exit, stdout, error) = await Cli("launch", Spec(folder, 4));
        Assert.True(exit == 0, error);
        var id = stdout.Trim();
        Assert.StartsWith("tiny-", id);

        Assert.Equal(0, (await Cli("status", id)).Exit);
        Assert.Equal(0, (await Cli("list")).Exit);
        Assert.Equal(0, (await Cli("watch", id)).Exit); // returns when the sweep completed

        var output = Path.Combine(folder.Path, "fetched");
        (exit, _, error) = await Cli("results", id, "--out", output);
        Assert.True(exit == 0, error);
        foreach (var file in SweepReport.FileNames)
            Assert.True(new FileInfo(Path.Combine(output, file)).Length > 0, file);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "trials.csv")).Length); // header + 2 trials

        (exit, stdout, _) = await Cli("cancel", id);
        Assert.Equal(0, exit);
        Assert.Contains("already finished (Completed)", stdout);
        (exit, stdout, _) = await Cli("resume", id);
        Assert.Equal(0, exit);
        Assert.Contains("already finished", stdout);
    }

    [Fact]
    public async Task Cancel_stops_a_running_sweep_within_seconds()
    {
        using var folder = new TempFolder();
        var (exit, stdout, error) = await Cli("launch", Spec(folder, 100_000));
        Assert.True(exit == 0, error);
        var id = stdout.Trim();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        (exit, stdout, error) = await Cli("cancel", id, "--wait", "60");
        Assert.True(exit == 0, error);
        Assert.Contains("cancelled", stdout);
        Assert.DoesNotContain("winding down", stdout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"cancel took {clock.Elapsed}");
        // Cancelled: results still writes what exists, and says so by its exit code.
        (exit, _, _) = await Cli("results", id, "--out", Path.Combine(folder.Path, "partial"));
        Assert.Equal(130, exit);
    }

    [Fact]
    public async Task An_unknown_id_is_one_line_and_exit_2()
    {
        foreach (var verb in new[] { "status", "watch", "cancel", "resume" })
        {
            var (exit, _, error) = await Cli(verb, "no-such-sweep");
            Assert.Equal(2, exit);
            Assert.Contains("No sweep 'no-such-sweep'", error);
            Assert.Single(error.Trim().Split('\n'));
        }
    }

    [Fact]
    public async Task An_unreachable_cluster_names_the_address_and_mode_after_a_bounded_wait()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nothing listens on
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (exit, stdout, error) = await CliInvocation.InvokeAsync("status", "x", "--gateway", port.ToString(), "--connect-timeout", "3");
        Assert.Equal(3, exit);
        Assert.DoesNotContain("   at ", stdout + error);
        Assert.Contains($"gateway port {port}", error);
        Assert.Contains("localhost clustering", error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
    }
}
