using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskAlign.Silo.Dashboard;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Grains;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// An embedded silo serving the dashboard on a free port, holding one finished sweep of six trials in three arms
/// (<see cref="TableRunner"/>): five drawn, three of them on the front, one diverged.
/// </summary>
internal sealed class DashboardSweep : IAsyncDisposable
{
    public const string SweepId = "live-1";
    public static readonly string[] Arms = ["dpo", "ra-dpo2", "wdpo"];
    /// <summary>Drift and reward per trial (NaN: the trial diverges). Trial 2 is dominated by 1 and trial 4 by 3, so
    /// the front is 0, 1, 3.</summary>
    public static readonly (double Drift, double Reward)[] Results =
        [(0.1, 0.3), (0.2, 0.5), (0.3, 0.4), (0.4, 0.7), (0.5, 0.6), (double.NaN, double.NaN)];
    public static readonly int[] Front = [0, 1, 3];

    private readonly IHost _host;

    private DashboardSweep(IHost host, int port) => (_host, Port) = (host, port);

    public int Port { get; }
    public Uri BaseAddress => new($"http://localhost:{Port}/");
    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();
    public IServiceProvider Services => _host.Services;

    /// <summary>Arm of trial <paramref name="index"/>: dpo, ra-dpo2 alternating; the last trial is wdpo.</summary>
    public static string ArmOf(int index) => index == Results.Length - 1 ? Arms[2] : Arms[index % 2];

    public static async Task<DashboardSweep> StartAsync(bool withDashboard = true)
    {
        int port = FreePorts.Next();
        var settings = new Dictionary<string, string?> { [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = "2" };
        if (withDashboard) settings[LiveDashboard.PortKey] = port.ToString();
        var host = EmbeddedSiloHost.Build(settings, silo => silo.Services.AddSingleton<ITrialRunner>(new TableRunner()));
        await host.StartAsync();
        var sweep = new DashboardSweep(host, port);
        var request = FakeSweeps.Request(SweepId, count: Results.Length, maxConcurrent: 2);
        await sweep.Client.GetGrain<ISweepGrain>(SweepId).Start(new SweepRequest
        {
            SweepId = request.SweepId, Name = "live page test", MaxConcurrentTrials = 2, MaxFailures = 3,
            Trials = [.. request.Trials.Select(t => t with { Arm = ArmOf(t.Index) })],
        });
        await sweep.Client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).Register(new SweepEntry
        {
            SweepId = SweepId, Name = "live page test", StartedUtc = DateTime.UtcNow, TrialCount = Results.Length,
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await sweep.Client.GetGrain<ISweepGrain>(SweepId).GetSnapshot()).Status != SweepStatus.Completed)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The dashboard test sweep did not complete in 30 s.");
            await Task.Delay(50);
        }
        return sweep;
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
    }

    /// <summary>Finishes each trial at once with the drift and reward of <see cref="Results"/>.</summary>
    private sealed class TableRunner : ITrialRunner
    {
        public TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
        {
            var (drift, reward) = Results[trial.Index];
            if (double.IsNaN(drift))
                return new TrialResult { Trial = trial, Status = TrialStatus.Diverged, Error = "loss became NaN at step 2" };
            return FakeTrials.Completed(trial, drift, reward);
        }
    }
}
