using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskAlign.Silo.Trials;
using Orleans.Serialization;
using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// A sweep whose every silo died resumes when the cluster comes back, with no client calling it: its reminder, in a
/// table that outlives the cluster (here <see cref="SharedReminderTable"/>, in production the ADO.NET table),
/// reactivates it. Expected numbers: the fake runner's drift = β of each trial, as in an undisturbed run.
/// </summary>
[Collection(InProcessClusters.Name)]
public sealed class SweepReminderTests
{
    [Fact]
    public async Task A_sweep_whose_every_silo_died_resumes_when_silos_return_without_any_call()
    {
        var table = new SharedReminderTable();
        var store = new ConcurrentDictionary<string, (byte[] Data, string ETag)>();
        void WithReminders(int _, ISiloBuilder silo)
        {
            silo.AddReminders();
            silo.Services.AddSingleton<IReminderTable>(table);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        }
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(100) };
        GrainId sweepId;

        await using (var first = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 1, configureSilo: WithReminders, store: store))
        {
            var sweep = first.Client.GetGrain<ISweepGrain>("orphan");
            sweepId = sweep.GetGrainId();
            await sweep.Start(FakeSweeps.Request("orphan", count: 3, maxConcurrent: 1));
            for (var deadline = DateTime.UtcNow.AddSeconds(30); runner.Finished.Count < 1;)
            {
                Assert.True(DateTime.UtcNow < deadline, "no trial finished");
                await Task.Delay(50);
            }
            Assert.Equal(1, table.Count); // the running sweep keeps its reminder
            await first.Cluster.KillSiloAsync(first.Cluster.Silos[0]);
        }

        await using var second = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 1, configureSilo: WithReminders, store: store);
        var serializer = second.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>();
        SweepState Stored() => serializer.Deserialize<SweepState>(store[SharedGrainStorage.Key("sweep", sweepId)].Data)!;

        // Only storage and the reminder table are read until the sweep is done: no call activates the grain.
        for (var deadline = DateTime.UtcNow.AddSeconds(60); Stored().Status != SweepStatus.Completed || table.Count > 0;)
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"sweep stored {Stored().Status} with {Stored().Results.Count(r => r is not null)}/3 results; {table.Count} reminder(s)");
            await Task.Delay(100);
        }

        var stored = Stored();
        Assert.All(stored.Results, r => Assert.Equal(TrialStatus.Completed, r!.Status));
        Assert.Equal(Enumerable.Range(0, 3).Select(i => 0.1 * (i + 1)), stored.Results.Select(r => r!.Drift));
    }

    [PostgresFact]
    public async Task With_postgres_a_sweep_stopped_with_its_whole_cluster_resumes_from_the_reminder_table_when_a_silo_starts()
    {
        await using var database = await ScratchDatabase.CreateAsync();
        SweepGrain.ResumePeriod = TimeSpan.FromSeconds(2);
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(100) };
        var id = $"pg-orphan-{Guid.NewGuid():N}";

        using (var first = AdoNetSilo(database.ConnectionString, runner))
        {
            await first.StartAsync();
            var sweep = first.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepGrain>(id);
            await sweep.Start(FakeSweeps.Request(id, count: 3, maxConcurrent: 1));
            for (var deadline = DateTime.UtcNow.AddSeconds(30); runner.Finished.Count < 1;)
            {
                Assert.True(DateTime.UtcNow < deadline, "no trial finished");
                await Task.Delay(50);
            }
            Assert.Equal(1, await database.CountAsync("OrleansRemindersTable"));
            await first.StopAsync(TimeSpan.FromSeconds(10)); // the whole cluster goes away with the sweep unfinished
        }

        using var second = AdoNetSilo(database.ConnectionString, runner);
        await second.StartAsync();
        // No call to the sweep: the finished sweep drops its reminder row, which only its reactivation can do.
        for (var deadline = DateTime.UtcNow.AddSeconds(90); await database.CountAsync("OrleansRemindersTable") > 0;)
        {
            Assert.True(DateTime.UtcNow < deadline, "the sweep's reminder is still stored: the sweep did not finish");
            await Task.Delay(200);
        }

        var snapshot = await second.Services.GetRequiredService<IClusterClient>().GetGrain<ISweepGrain>(id).GetSnapshot();
        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal(Enumerable.Range(0, 3).Select(i => 0.1 * (i + 1)), snapshot.Trials.Select(t => t.Result!.Drift));
        await second.StopAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>An ADO.NET silo with the fake runner and one-second reminders allowed.</summary>
    private static IHost AdoNetSilo(string connectionString, ITrialRunner runner) =>
        AdoNetSiloHost.Build(connectionString, configureSilo: silo =>
        {
            silo.Services.AddSingleton(runner);
            silo.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
        });
}
