using RiskAlign.Silo.Grains;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Tests;

public sealed class SweepGrainTests
{
    private static readonly SweepRequest Request = new() { SpecJson = "{}", SourceName = "fake.json" };

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
        await using var silo = await EmbeddedSilo.StartAsync(new FakeExpander(count: 6, maxConcurrent: 2), runner, cpuSlots: 4);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s1");

        var started = await sweep.Start(Request);
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
        await using var silo = await EmbeddedSilo.StartAsync(new FakeExpander(count: 4, maxConcurrent: 4), runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s2");

        await sweep.Start(Request);
        await WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(1, runner.MaxObservedConcurrency);
    }

    [Fact]
    public async Task A_diverged_trial_is_recorded_and_the_sweep_goes_on()
    {
        var runner = new FakeRunner { DivergeTrialOne = true };
        await using var silo = await EmbeddedSilo.StartAsync(new FakeExpander(count: 3, maxConcurrent: 1), runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s3");

        await sweep.Start(Request);
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
        await using var silo = await EmbeddedSilo.StartAsync(new FakeExpander(count: 4, maxConcurrent: 1), runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s4");

        await sweep.Start(Request);
        await Task.Delay(300);
        await sweep.Cancel();
        var snapshot = await WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Cancelled, snapshot.Status);
        Assert.All(snapshot.Trials, t => Assert.Equal(TrialStatus.Cancelled, t.Status));
        Assert.Equal(0, runner.Runs);
    }

    [Fact]
    public async Task A_bad_spec_is_refused_with_the_field_named_and_nothing_runs()
    {
        var runner = new FakeRunner();
        await using var silo = await EmbeddedSilo.StartAsync(new FakeExpander(count: 2, maxConcurrent: 1), runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("s5");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => sweep.Start(new SweepRequest { SpecJson = "bad", SourceName = "bad.json" }));

        Assert.Contains("arms[0].loss.name", error.Message);
        Assert.Equal(SweepStatus.NotStarted, (await sweep.GetSnapshot()).Status);
        Assert.Equal(0, runner.Runs);
    }
}
