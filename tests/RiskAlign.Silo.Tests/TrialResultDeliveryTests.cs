using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// A finished trial's result reaches its sweep even when <see cref="ISweepGrain.ReportResult"/> keeps failing (a sweep
/// grain too busy to take the call before it times out, as on a machine at load 19), and a trial whose run is gone
/// while its silo lives is sent again instead of waited on (README, "Known defect": the lost hh-rlhf trials).
/// </summary>
[Collection(InProcessClusters.Name)]
public sealed class TrialResultDeliveryTests
{
    [Fact]
    public async Task A_finished_result_that_never_gets_through_is_fetched_by_the_sweep_without_running_the_trial_again()
    {
        var runner = new FakeRunner();
        var refuse = new RefusedReports((result, _) => result.Trial.Index == 1);
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 2,
            configureSilo: (_, silo) => silo.AddIncomingGrainCallFilter(refuse));
        var sweep = cluster.Client.GetGrain<ISweepGrain>("undelivered");

        await sweep.Start(FakeSweeps.Request("undelivered", count: 3, maxConcurrent: 3));
        var snapshot = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.True(refuse.Refused > 0, "trial 1's reports were never refused: the test proves nothing");
        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal(TrialStatus.Completed, snapshot.Trials[1].Status);
        Assert.Equal(0.2, snapshot.Trials[1].Result!.Drift, 12); // the fake's drift is trial 1's β = 0.2
        Assert.Equal(3, runner.Runs); // fetched, not run again
        Assert.Equal(0, Stored(cluster, sweep).Losses[1]);
    }

    [Fact]
    public async Task A_trial_whose_grain_lost_its_run_on_a_live_silo_is_sent_again()
    {
        var runner = new FakeRunner();
        // Attempt 1 of trial 0 never gets its result through; deactivating its grain then loses the run and the result.
        var refuse = new RefusedReports((result, attempt) => result.Trial.Index == 0 && attempt == 1);
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 2,
            configureSilo: (_, silo) => silo.AddIncomingGrainCallFilter(refuse));
        var sweep = cluster.Client.GetGrain<ISweepGrain>("forgotten");

        await sweep.Start(FakeSweeps.Request("forgotten", count: 2, maxConcurrent: 2));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (refuse.Refused == 0 && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.True(refuse.Refused > 0, "trial 0 never tried to report");
        await cluster.Cluster.DeactivateAsync(cluster.Client.GetGrain<ITrialGrain>(FakeSweeps.Request("forgotten", 2, 2).Trials[0].Id));
        var snapshot = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));
        refuse.Stop(); // the first run's reporting loop gets through (and is ignored as a second result)

        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.All(snapshot.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(2, runner.Finished.Count(i => i == 0)); // ran again after the loss
        var stored = Stored(cluster, sweep);
        Assert.Equal([1, 0], stored.Losses);
        Assert.Equal([2, 1], stored.Attempts);
    }

    [Fact]
    public async Task Training_never_runs_on_the_thread_pool_even_after_waiting_for_a_device_slot()
    {
        var runner = new FakeRunner();
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 1);
        // Two trials started straight on their grains (no sweep, no slot board): one waits for the other's slot.
        var trials = FakeSweeps.Request("no-sweep", count: 2, maxConcurrent: 2).Trials;
        foreach (var trial in trials) await cluster.Client.GetGrain<ITrialGrain>(trial.Id).Start(trial, 1, null);

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Volatile.Read(ref runner.Runs) < 2 && DateTime.UtcNow < until) await Task.Delay(20);

        Assert.Equal(2, runner.Runs);
        Assert.Equal(1, runner.MaxObservedConcurrency); // so the second did wait for the slot
        Assert.Equal(0, runner.PoolThreadRuns);
    }

    [Fact]
    public async Task The_watch_writes_the_sweep_state_only_when_something_changed()
    {
        // A write stores every result so far; made at every watch (2 s) it kept a sweep grain busy on a loaded machine.
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(400) }; // one trial training for 4 s
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 1);
        var sweep = cluster.Client.GetGrain<ISweepGrain>("quiet-storage");
        await sweep.Start(FakeSweeps.Request("quiet-storage", count: 1, maxConcurrent: 1));
        await Task.Delay(SweepGrain.WatchInterval * 2);

        var key = SharedGrainStorage.Key("sweep", sweep.GetGrainId());
        string before = cluster.Store[key].ETag;
        await Task.Delay(SweepGrain.WatchInterval * 6);
        string after = cluster.Store[key].ETag;

        Assert.Equal(TrialStatus.Running, (await sweep.GetSnapshot()).Trials[0].Status); // nothing happened meanwhile
        Assert.Equal(before, after);
        Assert.Equal(SweepStatus.Completed, (await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30))).Status);
    }

    [Fact]
    public async Task A_result_whose_write_failed_is_written_by_a_later_watch_though_nothing_else_changes()
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(50) };
        var store = new ConcurrentDictionary<string, (byte[] Data, string ETag)>();
        var storage = new FailingFirstResultWrite();
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 2, store: store,
            configureSilo: (_, silo) => silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorageName.RiskAlign,
                (services, _) => storage.Over(new SharedGrainStorage(store, services.GetRequiredService<Serializer>()))));
        var sweep = cluster.Client.GetGrain<ISweepGrain>("unwritten");
        var trials = FakeSweeps.Request("unwritten", count: 2, maxConcurrent: 2).Trials;
        // Trial 1 trains 100 steps (5 s) while trial 0's 10 (0.5 s) finish: nothing else changes meanwhile.
        await sweep.Start(new SweepRequest
        {
            SweepId = "unwritten", Name = "fake", MaxConcurrentTrials = 2,
            Trials = [trials[0], trials[1] with { Training = trials[1].Training with { Steps = 100 } }],
        });

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Stored(cluster, sweep).Results[0] is null && DateTime.UtcNow < until) await Task.Delay(50);
        var snapshot = await sweep.GetSnapshot();

        Assert.True(storage.Failed, "no write was failed: the test proves nothing");
        Assert.NotNull(Stored(cluster, sweep).Results[0]);
        Assert.Equal(TrialStatus.Running, snapshot.Trials[1].Status); // written by a watch, not by trial 1's result
    }

    private static SweepState Stored(TestCluster cluster, ISweepGrain sweep) =>
        cluster.Cluster.Silos[0].ServiceProvider.GetRequiredService<Serializer>()
            .Deserialize<SweepState>(cluster.Store[SharedGrainStorage.Key("sweep", sweep.GetGrainId())].Data)!;

    /// <summary>Fails the first write that holds trial 0's result, as a storage under load might.</summary>
    private sealed class FailingFirstResultWrite
    {
        private int _failed;
        public bool Failed => Volatile.Read(ref _failed) == 1;

        public IGrainStorage Over(IGrainStorage inner) => new Storage(this, inner);

        private sealed class Storage(FailingFirstResultWrite owner, IGrainStorage inner) : IGrainStorage
        {
            public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);
            public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

            public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
            {
                if (grainState.State is SweepState { Results: [{ }, ..] } && Interlocked.CompareExchange(ref owner._failed, 1, 0) == 0)
                    throw new IOException("test: the write of trial 0's result failed");
                return inner.WriteStateAsync(stateName, grainId, grainState);
            }
        }
    }

    /// <summary>Fails the <see cref="ISweepGrain.ReportResult"/> calls that <paramref name="refuses"/> picks (result,
    /// attempt) the way a call fails that times out waiting behind a busy sweep grain, until <see cref="Stop"/>.</summary>
    private sealed class RefusedReports(Func<TrialResult, int, bool> refuses) : IIncomingGrainCallFilter
    {
        private volatile bool _stopped;
        private int _refused;

        public int Refused => Volatile.Read(ref _refused);

        public void Stop() => _stopped = true;

        public Task Invoke(IIncomingGrainCallContext context)
        {
            if (!_stopped && context.MethodName == nameof(ISweepGrain.ReportResult)
                && context.Request.GetArgument(0) is TrialResult result && context.Request.GetArgument(1) is int attempt && refuses(result, attempt))
            {
                Interlocked.Increment(ref _refused);
                throw new TimeoutException($"Response did not arrive on time (test: report of trial {result.Trial.Index}, attempt {attempt}, refused).");
            }
            return context.Invoke();
        }
    }
}
