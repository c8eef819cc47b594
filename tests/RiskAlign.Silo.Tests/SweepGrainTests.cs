using RiskAlign.Silo.Grains;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Tests;

public sealed class SweepGrainTests
{
    private static async Task<SweepSnapshot> WaitForEndAsync(ISweepGrain sweep, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var snapshot = await sweep.GetSnapshot();
            if (snapshot.Status is SweepStatus.Completed or SweepStatus.Cancelled && snapshot.Finished == snapshot.Trials.Count) return snapshot;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Sweep still {snapshot.Status} with {snapshot.Finished}/{snapshot.Trials.Count} finished.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Sweep_runs_every_trial_never_more_at_once_than_allowed_and_keeps_the_front()
    {
        var runner = new FakeRunner();
        await using var silo = await EmbeddedSilo.StartAsync(runner, cpuSlots: 4);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s1");

        var started = await sweep.Start(FakeSweeps.Request("s1", count: 6, maxConcurrent: 2));
        var snapshot = await WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(6, started.TrialCount);
        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.All(snapshot.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(6, runner.Runs);
        Assert.True(runner.MaxObservedConcurrency <= 2, $"ran {runner.MaxObservedConcurrency} at once");
        // drift = β and reward = √β both grow with β: no trial dominates another, so all six are on the front.
        Assert.Equal([0, 1, 2, 3, 4, 5], snapshot.FrontIndices.Order());
        Assert.All(runner.Devices, d => Assert.Equal("cpu", d));
    }

    [Fact]
    public async Task Device_slots_bound_concurrency_below_the_sweep_limit()
    {
        var runner = new FakeRunner();
        await using var silo = await EmbeddedSilo.StartAsync(runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s2");

        await sweep.Start(FakeSweeps.Request("s2", count: 4, maxConcurrent: 4));
        await WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(1, runner.MaxObservedConcurrency);
    }

    [Fact]
    public async Task A_diverged_trial_is_recorded_and_the_sweep_goes_on()
    {
        var runner = new FakeRunner { DivergeTrialOne = true };
        await using var silo = await EmbeddedSilo.StartAsync(runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s3");

        await sweep.Start(FakeSweeps.Request("s3", count: 3, maxConcurrent: 1));
        var snapshot = await WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal([TrialStatus.Completed, TrialStatus.Diverged, TrialStatus.Completed], snapshot.Trials.Select(t => t.Status));
        Assert.Contains("NaN", snapshot.Trials[1].Result!.Error);
        Assert.DoesNotContain(1, snapshot.FrontIndices);
    }

    [Fact]
    public async Task Cancel_stops_running_trials_and_marks_the_rest_cancelled()
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(200) };
        await using var silo = await EmbeddedSilo.StartAsync(runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s4");

        await sweep.Start(FakeSweeps.Request("s4", count: 4, maxConcurrent: 1));
        await Task.Delay(300);
        await sweep.Cancel();
        var snapshot = await WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Cancelled, snapshot.Status);
        Assert.All(snapshot.Trials, t => Assert.Equal(TrialStatus.Cancelled, t.Status));
        Assert.Equal(0, runner.Runs);
    }
}
