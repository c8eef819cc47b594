using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Tests;

public sealed class SweepTraceTests
{
    [Fact]
    public async Task Trial_spans_are_children_of_the_sweep_span_which_joins_the_callers_trace()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(RiskAlignTelemetry.Name).AddInMemoryExporter(spans).Build();
        await using var silo = await EmbeddedSilo.StartAsync(new FakeRunner(), cpuSlots: 2);
        var sweep = silo.Client.GetGrain<ISweepGrain>("traced");

        string traceId;
        using (var root = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Client))
        {
            traceId = root!.TraceId.ToHexString();
            await sweep.Start(FakeSweeps.Request("traced", count: 2, maxConcurrent: 2, traceParent: root.Id));
        }
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (await sweep.GetSnapshot()).Status != SweepStatus.Completed;)
        {
            Assert.True(DateTime.UtcNow < deadline, "sweep did not complete");
            await Task.Delay(50);
        }
        tracing.ForceFlush();

        var ours = spans.Where(s => s.TraceId.ToHexString() == traceId).ToList();
        var client = Assert.Single(ours, s => s.DisplayName == RiskAlignTelemetry.Spans.Client);
        var sweepSpan = Assert.Single(ours, s => s.DisplayName == RiskAlignTelemetry.Spans.Sweep);
        var trials = ours.Where(s => s.DisplayName == RiskAlignTelemetry.Spans.Trial).ToList();
        Assert.Equal(client.SpanId, sweepSpan.ParentSpanId);
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t => Assert.Equal(sweepSpan.SpanId, t.ParentSpanId));
        Assert.Equal(["traced-0", "traced-1"], trials.Select(t => (string)t.GetTagItem(RiskAlignTelemetry.Tags.TrialId)!).Order());
    }
}
