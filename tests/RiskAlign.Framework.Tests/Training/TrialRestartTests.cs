namespace RiskAlign.Framework.Tests.Training;

/// <summary>Restarts after libtorch's finalized-Scalar error, and only after it.</summary>
public sealed class TrialRestartTests
{
    private const string FinalizedScalar = "Expected false to be true, but got false.  (Could this error message be improved?)\nException raised from toFloat at /pytorch/c10/core/Scalar.h:140";
    private static readonly TrainingSettings Short = new() { Steps = 4, BatchSize = 8, LearningRate = 1e-3, EvalEvery = 4, Seed = 0 };

    [Fact]
    public void A_trial_hit_by_a_finalized_Scalar_is_restarted_and_gives_the_numbers_of_an_unhit_run()
    {
        var clean = TrialExecutor.Run(TestTrials.Trial(Short), TestTrials.Plugins(new TestDpoLoss()), TaskContext.Cpu, null, default);

        var hit = TrialExecutor.Run(TestTrials.Trial(Short), TestTrials.Plugins(new FailingFirstLoss(1, FinalizedScalar)), TaskContext.Cpu, null, default);

        Assert.True(hit.Status == TrialStatus.Completed, hit.Error);
        Assert.Equal((1, 2), (clean.Attempts, hit.Attempts));
        Assert.Equal(clean.Evaluations[^1].Metrics, hit.Evaluations[^1].Metrics);
    }

    [Fact]
    public void Restarts_stop_after_the_last_attempt()
    {
        var result = TrialExecutor.Run(TestTrials.Trial(Short), TestTrials.Plugins(new FailingFirstLoss(10, FinalizedScalar)), TaskContext.Cpu, null, default);

        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Equal(TrialExecutor.MaxAttempts, result.Attempts);
        Assert.StartsWith("ExternalException: Expected false to be true", result.Error);
    }

    [Fact]
    public void Any_other_native_error_fails_the_trial_at_once()
    {
        var result = TrialExecutor.Run(TestTrials.Trial(Short), TestTrials.Plugins(new FailingFirstLoss(1, "shape '[2, 3]' is invalid for input of size 5")), TaskContext.Cpu, null, default);

        Assert.Equal(TrialStatus.Failed, result.Status);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("is invalid for input of size 5", result.Error);
    }
}
