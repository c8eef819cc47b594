using RiskAlign.Abstractions;
using RiskAlign.Silo.Grains;
using RiskAlign.Silo.Trials;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>Trials and a runner that need no torch: the grains' scheduling is tested on its own, fast.</summary>
internal static class FakeTrials
{
    public static TrialDefinition Trial(string sweepId, int index, double beta, TrialDevice device = TrialDevice.Any) => new()
    {
        SweepId = sweepId,
        Index = index,
        Arm = "dpo",
        Task = new TaskChoice("fake"),
        Loss = new PluginChoice("dpo", new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(beta) }),
        UncertaintySet = new PluginChoice("nominal", new Dictionary<string, ParameterValue>()),
        Training = new TrainingSettings { Steps = 10, Seed = index, Device = device },
    };

    /// <summary>A completed result whose one evaluation, at the last step, has drift <c>kl/true</c> and reward <c>reward/true</c>.</summary>
    public static TrialResult Completed(TrialDefinition trial, double drift, double reward) => new()
    {
        Trial = trial,
        Status = TrialStatus.Completed,
        DriftMetric = "kl/true",
        RewardMetric = "reward/true",
        StepsCompleted = trial.Training.Steps,
        Evaluations = [new EvaluationPoint(trial.Training.Steps, new Dictionary<string, double> { ["kl/true"] = drift, ["reward/true"] = reward })],
    };
}

/// <summary>Validated sweeps as the client sends them: <c>count</c> fake trials with β = 0.1·(i+1).</summary>
internal static class FakeSweeps
{
    public static SweepRequest Request(string sweepId, int count, int maxConcurrent, int maxFailures = 3, string? traceParent = null,
        TrialDevice device = TrialDevice.Any) => new()
    {
        SweepId = sweepId,
        Name = "fake",
        Trials = [.. Enumerable.Range(0, count).Select(i => FakeTrials.Trial(sweepId, i, 0.1 * (i + 1), device))],
        MaxConcurrentTrials = maxConcurrent,
        MaxFailures = maxFailures,
        TraceParent = traceParent,
    };
}

/// <summary>Sleeps a little per step, records how many trials ran at once, and reports drift = β, reward = √β;
/// trial 1 diverges when <see cref="DivergeTrialOne"/> is set.</summary>
internal sealed class FakeRunner : ITrialRunner
{
    private int _running;
    public int MaxObservedConcurrency;
    public int Runs;
    /// <summary>Indices of the trials that ran to their last step, one entry per run (a re-sent trial may appear twice).</summary>
    public readonly List<int> Finished = [];
    public bool DivergeTrialOne { get; init; }
    public TimeSpan StepTime { get; init; } = TimeSpan.FromMilliseconds(20);
    public readonly List<string> Devices = [];
    /// <summary>Trial indices in the order their runs started.</summary>
    public readonly List<int> Started = [];
    /// <summary>Runs that were made on a thread-pool thread (training must not take the pool Orleans runs on).</summary>
    public int PoolThreadRuns;

    public TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken)
    {
        int now = Interlocked.Increment(ref _running);
        if (Thread.CurrentThread.IsThreadPoolThread) Interlocked.Increment(ref PoolThreadRuns);
        lock (Devices) { Devices.Add(device); Started.Add(trial.Index); MaxObservedConcurrency = Math.Max(MaxObservedConcurrency, now); }
        try
        {
            for (int step = 1; step <= trial.Training.Steps; step++)
            {
                if (cancellationToken.IsCancellationRequested)
                    return new TrialResult { Trial = trial, Status = TrialStatus.Cancelled, StepsCompleted = step - 1 };
                Thread.Sleep(StepTime);
                progress.Report(new TrialProgress(step, trial.Training.Steps, 1.0 / step));
            }
            Interlocked.Increment(ref Runs);
            lock (Finished) Finished.Add(trial.Index);
            if (DivergeTrialOne && trial.Index == 1)
                return new TrialResult { Trial = trial, Status = TrialStatus.Diverged, Error = "loss became NaN at step 3" };
            double beta = trial.Loss.Values["beta"].Number;
            return FakeTrials.Completed(trial, drift: beta, reward: Math.Sqrt(beta));
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }
}
