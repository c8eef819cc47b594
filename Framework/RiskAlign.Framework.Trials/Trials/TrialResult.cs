using RiskAlign.Framework.Telemetry;

namespace RiskAlign.Framework.Trials;

/// <summary>What a finished trial reports back to its sweep.</summary>
public sealed record TrialResult
{
    public required TrialDefinition Trial { get; init; }
    public required TrialStatus Status { get; init; }
    /// <summary>Why it failed or diverged, in words a user can act on.</summary>
    public string? Error { get; init; }
    /// <summary>Evaluations in step order; the last one is the trial's final measurement.</summary>
    public IReadOnlyList<EvaluationPoint> Evaluations { get; init; } = [];
    /// <summary>Train-time metrics (TRL's train names: <c>loss</c>, <c>grad_norm</c>, <c>learning_rate</c>, ...) every
    /// <see cref="TrainingSettings.LogEvery"/> steps, in step order; empty when not logged.</summary>
    public IReadOnlyList<EvaluationPoint> TrainLog { get; init; } = [];
    /// <summary>The metric the task uses as drift (x axis of the front, minimised), for example <c>kl/true</c>.</summary>
    public string DriftMetric { get; init; } = "";
    /// <summary>The metric the task uses as reward (y axis, maximised), for example <c>reward/true</c>.</summary>
    public string RewardMetric { get; init; } = "";
    /// <summary>Runs it took: 1, or more when a run was restarted after libtorch's finalized-Scalar error (see
    /// the trial executor).</summary>
    public int Attempts { get; init; } = 1;
    /// <summary>Steps actually taken (by the last run).</summary>
    public int StepsCompleted { get; init; }
    /// <summary>Wall time of training and evaluation, seconds.</summary>
    public double WallSeconds { get; init; }
    /// <summary>Training throughput (policy + reference forward, backward, optimizer), tokens per second.</summary>
    public double TokensPerSecond { get; init; }
    /// <summary>Where it ran (silo and device), for the report.</summary>
    public string Placement { get; init; } = "";
    /// <summary>Most device memory in use while it ran, bytes (CUDA: NVML's used memory of its device, whole device);
    /// null on the CPU, where parallel trials share one process and no per-trial figure exists.</summary>
    public long? PeakDeviceMemoryBytes { get; init; }
    /// <summary>The spans of the run that produced this result (the trial span and its task build, train and eval
    /// spans), recorded where it ran, so a client on another machine can write them to trace.jsonl; empty when the
    /// trial never ran (cancelled before it started, lost with its silo).</summary>
    public IReadOnlyList<SpanRecord> Spans { get; init; } = [];
    /// <summary>Bytes of the parameters the optimizer trains: the whole policy (a full copy of the reference's weights)
    /// for a full fine-tune, the adapters alone with LoRA (whose base is the reference itself, held once).</summary>
    public long TrainableParameterBytes { get; init; }
    /// <summary>Bytes of AdamW's state: its two moment estimates, each the size of the trainable parameters.</summary>
    public long OptimizerStateBytes { get; init; }
    /// <summary>The folder the trained policy was written to (<see cref="TrainingSettings.Save"/>), or null.</summary>
    public string? SavedModel { get; init; }

    /// <summary>The final drift, or NaN when there is no evaluation.</summary>
    public double Drift => Final(DriftMetric);
    /// <summary>The final reward, or NaN when there is no evaluation.</summary>
    public double Reward => Final(RewardMetric);

    private double Final(string metric) =>
        Evaluations.Count > 0 && Evaluations[^1].Metrics.TryGetValue(metric, out var value) ? value : double.NaN;
}
