using RiskAlign.Abstractions;
using RiskAlign.Framework.Sweeps;
using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// A spec's <c>time_budget_minutes</c>: once it is spent the sweep starts nothing more, stops what runs (recorded Stopped
/// with its evaluations so far), records the queued trials Stopped without running them, and completes; a search
/// proposes nothing more.
/// </summary>
public sealed class SweepTimeBudgetTests
{
    [Fact]
    public async Task A_spent_budget_stops_the_running_trial_and_the_queued_ones_never_run()
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(20) };
        await using var silo = await EmbeddedSilo.StartAsync(runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("budget");
        var request = FakeSweeps.Request("budget", count: 4, maxConcurrent: 1);
        // Each trial would train 400 steps (8 s); the budget is one second, enforced at the sweep's next watch.
        await sweep.Start(new SweepRequest
        {
            SweepId = "budget", Name = "fake", MaxConcurrentTrials = 1, TimeBudget = TimeSpan.FromSeconds(1),
            Trials = [.. request.Trials.Select(t => t with { Training = t.Training with { Steps = 400 } })],
        });

        var snapshot = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.Equal([0], runner.Started);
        var first = snapshot.Trials[0].Result!;
        Assert.Equal(TrialStatus.Stopped, first.Status);
        Assert.InRange(first.StepsCompleted, 0, 399);
        Assert.StartsWith("The sweep's time budget of 0.017 min ran out; stopped after ", first.Error);
        Assert.All(snapshot.Trials.Skip(1), t =>
        {
            Assert.Equal(TrialStatus.Stopped, t.Status);
            Assert.Equal("The sweep's time budget of 0.017 min ran out before it started.", t.Result!.Error);
        });
    }

    [Fact]
    public async Task A_search_proposes_nothing_once_the_budget_is_spent_and_its_sweep_completes()
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(10) };
        await using var silo = await EmbeddedSilo.StartAsync(runner, cpuSlots: 1);
        var sweep = silo.Client.GetGrain<ISweepGrain>("budget-search");
        var search = new SearchPlan
        {
            Arms = [new SearchArmPlan(FakeTrials.Trial("budget-search", 0, 0.5),
                [new SearchParameter(SearchedPlugin.Loss, "beta", new SearchDimension("loss.beta", 0.01, 1, Log: true, Integer: false))])],
            MaxTrials = 500, Seed = 1, Population = 3, Seeds = [0],
        };
        await sweep.Start(new SweepRequest
        {
            SweepId = "budget-search", Name = "fake", Trials = [], MaxConcurrentTrials = 1, Search = search, TimeBudget = TimeSpan.FromSeconds(1),
        });

        var snapshot = await TestCluster.WaitForEndAsync(sweep, TimeSpan.FromSeconds(30));

        Assert.Equal(SweepStatus.Completed, snapshot.Status);
        Assert.InRange(snapshot.Trials.Count, 1, 499); // 500 settings of 0.1 s each would take 50 s
        Assert.Equal(snapshot.Trials.Count, snapshot.PlannedTrials);
        Assert.All(snapshot.Trials, t => Assert.Contains(t.Status, new[] { TrialStatus.Completed, TrialStatus.Stopped }));
    }
}
