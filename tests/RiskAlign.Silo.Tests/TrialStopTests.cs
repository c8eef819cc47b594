using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Tests;

/// <summary>A trial stopped twice before its run notices (an ASHA stop at one rung, then another at the next rung, or the
/// sweep's time budget) is recorded with the first reason: that decision is what stopped it.</summary>
[Collection(InProcessClusters.Name)]
public sealed class TrialStopTests
{
    [Fact]
    public async Task The_first_stop_reason_stands_when_a_second_stop_arrives_before_the_run_ends()
    {
        var runner = new FakeRunner { StepTime = TimeSpan.FromMilliseconds(300) };
        await using var cluster = await TestCluster.StartAsync(silos: 1, runner, cpuSlots: 1);
        var trial = FakeSweeps.Request("stopped-twice", count: 1, maxConcurrent: 1).Trials[0];
        var grain = cluster.Client.GetGrain<ITrialGrain>(trial.Id);
        await grain.Start(trial, 1, null);
        for (var until = DateTime.UtcNow.AddSeconds(20); runner.Started.Count == 0 && DateTime.UtcNow < until;) await Task.Delay(10);

        await grain.Stop("Stopped by ASHA at step 2");
        await grain.Stop("Stopped by ASHA at step 4");
        TrialCheck check;
        for (var until = DateTime.UtcNow.AddSeconds(20); (check = await grain.Check()).Result is null && DateTime.UtcNow < until;) await Task.Delay(20);

        Assert.Equal(TrialStatus.Stopped, check.Result!.Status);
        Assert.StartsWith("Stopped by ASHA at step 2; stopped after ", check.Result.Error);
    }
}
