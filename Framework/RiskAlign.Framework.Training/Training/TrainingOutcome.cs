using RiskAlign.Framework.Plugins;

namespace RiskAlign.Framework.Training;

/// <summary>How a training run ended.</summary>
/// <param name="Status">Completed, Diverged or Cancelled.</param>
/// <param name="Error">Why it diverged or was cancelled, naming the step; null when completed.</param>
/// <param name="Evaluations">Evaluations in step order (step 0 = the reference itself).</param>
/// <param name="StepsCompleted">Optimizer steps taken.</param>
/// <param name="TrainSeconds">Wall time of the training steps alone (no evaluation).</param>
/// <param name="TrainedTokens">Token positions through policy forward and backward.</param>
public sealed record TrainingOutcome(TrialStatus Status, string? Error, IReadOnlyList<EvaluationPoint> Evaluations,
    int StepsCompleted, double TrainSeconds, long TrainedTokens)
{
    /// <summary>Train-time metrics every <see cref="TrainingSettings.LogEvery"/> steps (empty when it is 0).</summary>
    public IReadOnlyList<EvaluationPoint> TrainLog { get; init; } = [];

    /// <summary>Training throughput, tokens per second (0 before any step).</summary>
    public double TokensPerSecond => TrainSeconds > 0 ? TrainedTokens / TrainSeconds : 0;
}
