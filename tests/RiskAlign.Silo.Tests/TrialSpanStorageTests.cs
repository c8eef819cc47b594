using System.Diagnostics;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Grains;
using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>Each trial's spans travel with its result to the sweep's storage, recorded on the silo that ran it even
/// where no OpenTelemetry SDK listens (this test process registers none).</summary>
public sealed class TrialSpanStorageTests
{
    /// <summary>The fake runner, with a train span below the trial span as the real trainer has.</summary>
    private sealed class SpanningRunner : ITrialRunner
    {
        private readonly FakeRunner _inner = new();

        public TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
        {
            using var train = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Train);
            return _inner.Run(trial, device, progress, cancellationToken);
        }
    }

    [Fact]
    public async Task The_sweep_stores_each_trials_span_and_its_children_and_snapshots_leave_them_out()
    {
        await using var silo = await EmbeddedSilo.StartAsync(new SpanningRunner(), cpuSlots: 2);
        var sweep = silo.Client.GetGrain<ISweepGrain>("spans");
        await sweep.Start(FakeSweeps.Request("spans", count: 2, maxConcurrent: 2));
        SweepSnapshot snapshot;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (snapshot = await sweep.GetSnapshot()).Status != SweepStatus.Completed;)
        {
            Assert.True(DateTime.UtcNow < deadline, "sweep did not complete");
            await Task.Delay(50);
        }

        var spans = await sweep.GetSpans();
        var trials = spans.Where(s => s.Name == RiskAlignTelemetry.Spans.Trial).ToList();
        Assert.Equal(["spans-0", "spans-1"], trials.Select(t => t.Tags[RiskAlignTelemetry.Tags.TrialId]).Order());
        foreach (var trial in trials)
        {
            var train = Assert.Single(spans, s => s.Name == RiskAlignTelemetry.Spans.Train && s.ParentSpanId == trial.SpanId);
            Assert.Equal(trial.TraceId, train.TraceId);
            Assert.True(trial.DurationMs >= train.DurationMs && train.DurationMs > 0);
            Assert.Equal(nameof(ActivityStatusCode.Unset), trial.Status);
        }
        Assert.All(snapshot.Trials, t => Assert.Empty(t.Result!.Spans));
    }
}
