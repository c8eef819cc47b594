using static TorchSharp.torch;

namespace RiskAlign.Abstractions;

/// <summary>What a loss returns for a batch of B pairs.</summary>
/// <param name="PerPairLoss">Loss of each pair <c>[B]</c>, with grad.</param>
/// <param name="ChosenRewards">Implicit reward of each chosen response <c>[B]</c>, detached (TRL's <c>rewards/chosen</c>).</param>
/// <param name="RejectedRewards">Implicit reward of each rejected response <c>[B]</c>, detached (TRL's <c>rewards/rejected</c>).</param>
public sealed record PreferenceLossOutput(Tensor PerPairLoss, Tensor ChosenRewards, Tensor RejectedRewards)
{
    /// <summary>Extra per-batch scalars the loss wants logged, by metric name (for example <c>risk/chosen</c>).</summary>
    public IReadOnlyDictionary<string, Tensor> Metrics { get; init; } = new Dictionary<string, Tensor>();
}
