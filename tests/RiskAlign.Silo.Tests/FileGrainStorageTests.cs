using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Grains;
using RiskAlign.Framework.Trials;
using RiskAlign.Silo.Hosting;

namespace RiskAlign.Silo.Tests;

/// <summary>The JSON-file grain storage of the embedded cluster: a sweep's state survives a new storage instance (a
/// new process), NaN and spans included, and a write replaces the file whole.</summary>
public sealed class FileGrainStorageTests
{
    [Fact]
    public async Task A_sweep_state_written_by_one_storage_is_read_back_by_another()
    {
        using var folder = new TempFolder();
        var request = FakeSweeps.Request("on-disk", count: 2, maxConcurrent: 1);
        var span = new SpanRecord { TraceId = new string('a', 32), SpanId = new string('b', 16), Name = RiskAlignTelemetry.Spans.Trial, StartUtc = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc), DurationMs = 12.5 };
        var diverged = new TrialResult
        {
            Trial = request.Trials[0], Status = TrialStatus.Diverged, DriftMetric = "kl/true", RewardMetric = "reward/true",
            Evaluations = [new EvaluationPoint(3, new Dictionary<string, double> { ["kl/true"] = double.NaN, ["reward/true"] = 0.25 })],
            Spans = [span],
        };
        var written = new GrainState<SweepState>
        {
            State = new SweepState
            {
                Name = "fake", Status = SweepStatus.Running, Trials = [.. request.Trials],
                Statuses = [TrialStatus.Diverged, TrialStatus.Running], Results = [diverged, null],
                Attempts = [1, 1], Silos = [null, "127.0.0.1:1@1"], Losses = [0, 0],
            },
        };
        var id = GrainId.Create("sweep", "on-disk");
        await new FileGrainStorage(folder.Path).WriteStateAsync("sweep", id, written);
        await new FileGrainStorage(folder.Path).WriteStateAsync("sweep", id, written); // replaces, leaves no temporary file

        var read = new GrainState<SweepState> { State = new SweepState() };
        await new FileGrainStorage(folder.Path).ReadStateAsync("sweep", id, read);

        Assert.True(read.RecordExists);
        Assert.Single(Directory.GetFiles(folder.Path));
        Assert.Equal(SweepStatus.Running, read.State.Status);
        Assert.Equal(["on-disk-0", "on-disk-1"], read.State.Trials.Select(t => t.Id));
        Assert.Equal("127.0.0.1:1@1", read.State.Silos[1]);
        Assert.Null(read.State.Results[1]);
        var result = read.State.Results[0]!;
        Assert.Equal(TrialStatus.Diverged, result.Status);
        Assert.True(double.IsNaN(result.Drift));
        Assert.Equal(0.25, result.Reward);
        Assert.Equal(span with { Tags = result.Spans[0].Tags, Events = result.Spans[0].Events }, result.Spans[0]);
        Assert.Equal(DateTimeKind.Utc, result.Spans[0].StartUtc.Kind);
    }

    [Fact]
    public async Task A_grain_never_written_reads_as_no_record()
    {
        using var folder = new TempFolder();
        var read = new GrainState<SweepState> { State = new SweepState() };
        await new FileGrainStorage(Path.Combine(folder.Path, "none")).ReadStateAsync("sweep", GrainId.Create("sweep", "x"), read);
        Assert.False(read.RecordExists);
        Assert.Equal(SweepStatus.NotStarted, read.State.Status);
    }
}
