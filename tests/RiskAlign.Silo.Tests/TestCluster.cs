using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Grains;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Placement;
using RiskAlign.Silo.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// Several RiskAlign silos in this process (Orleans' <see cref="InProcessTestCluster"/>) sharing one fake runner and
/// one <see cref="SharedGrainStorage"/>, with membership tuned to declare a killed silo dead within seconds.
/// </summary>
internal sealed class TestCluster : IAsyncDisposable
{
    public ConcurrentDictionary<string, (byte[] Data, string ETag)> Store { get; }
    public InProcessTestCluster Cluster { get; }
    public IClusterClient Client => Cluster.Client;

    private TestCluster(short silos, ITrialRunner runner, int cpuSlots, Func<int, IReadOnlyDictionary<string, string?>>? siloSettings,
        Action<int, ISiloBuilder>? configureSilo, ConcurrentDictionary<string, (byte[] Data, string ETag)>? store)
    {
        Store = store ?? new();
        SweepGrain.WatchInterval = TimeSpan.FromMilliseconds(250);
        TrialGrain.HeartbeatInterval = TimeSpan.FromMilliseconds(500);
        SweepGrain.QuietAfter = TimeSpan.FromSeconds(2);
        SweepGrain.ResumePeriod = TimeSpan.FromSeconds(2); // silos with reminders allow it (SweepReminderTests)
        SlotBoardPublisher.Interval = TimeSpan.FromMilliseconds(250);
        var builder = new InProcessTestClusterBuilder(silos);
        int created = 0;
        builder.ConfigureSilo((options, silo) =>
        {
            int index = Interlocked.Increment(ref created) - 1; // silos are created in order: 0 is the first
            var settings = new Dictionary<string, string?> { [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = cpuSlots.ToString() };
            foreach (var (key, value) in siloSettings?.Invoke(index) ?? new Dictionary<string, string?>()) settings[key] = value;
            silo.AddRiskAlign(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
            silo.Services.AddSingleton(runner);
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorageName.RiskAlign,
                (services, _) => new SharedGrainStorage(Store, services.GetRequiredService<Serializer>()));
            silo.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromMilliseconds(500);
                o.NumMissedProbesLimit = 1;
                o.NumVotesForDeathDeclaration = 1;
                o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            });
            configureSilo?.Invoke(index, silo);
        });
        builder.ConfigureClient(client =>
            client.Services.AddSerializer(s => s.AddJsonSerializer(RiskAlignJson.IsCarriedAsJson, RiskAlignJson.Options)));
        Cluster = builder.Build();
    }

    /// <summary>Starts the cluster; <paramref name="configureSilo"/> (silo index, builder) runs last, so it can replace
    /// services (a pretend device set, a reminder table); <paramref name="store"/> lets a second cluster share the first's storage.</summary>
    public static async Task<TestCluster> StartAsync(short silos, ITrialRunner runner, int cpuSlots,
        Func<int, IReadOnlyDictionary<string, string?>>? siloSettings = null, Action<int, ISiloBuilder>? configureSilo = null,
        ConcurrentDictionary<string, (byte[] Data, string ETag)>? store = null)
    {
        var cluster = new TestCluster(silos, runner, cpuSlots, siloSettings, configureSilo, store);
        await cluster.Cluster.DeployAsync();
        return cluster;
    }

    /// <summary>The live silo holding an activation of <paramref name="grain"/>, or null.</summary>
    public InProcessSiloHandle? SiloOf(IAddressable grain) =>
        Cluster.TryGetGrainContext(grain.GetGrainId(), out var context)
            ? Cluster.Silos.FirstOrDefault(s => s.IsActive && s.SiloAddress.Equals(context.Address.SiloAddress))
            : null;

    /// <summary>Polls (through whatever gateway is alive) until every trial has a result, for at most <paramref name="timeout"/>.</summary>
    public static async Task<SweepSnapshot> WaitForEndAsync(ISweepGrain sweep, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var snapshot = await sweep.GetSnapshot().WaitAsync(TimeSpan.FromSeconds(5));
                if (snapshot.Status is SweepStatus.Completed or SweepStatus.Cancelled && snapshot.Finished == snapshot.Trials.Count) return snapshot;
                last = $"{snapshot.Status} with {snapshot.Finished}/{snapshot.Trials.Count} finished";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = $"poll failed: {e.GetType().Name}: {e.Message}"; // a gateway or the sweep's silo is going away
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"Sweep did not finish in {timeout}: {last}.");
    }

    public async ValueTask DisposeAsync()
    {
        try { await Cluster.StopAllSilosAsync().WaitAsync(TimeSpan.FromSeconds(20)); }
        catch (Exception) { /* a killed silo can make shutdown noisy; the test's verdict is already in */ }
        await Cluster.DisposeAsync();
    }
}
