using static TorchSharp.torch;

namespace RiskAlign.Abstractions;

/// <summary>The scalar an uncertainty set makes of per-pair losses.</summary>
/// <param name="Loss">Scalar objective, with grad.</param>
public sealed record RobustObjective(Tensor Loss)
{
    /// <summary>Extra scalars to log (for example <c>robust/penalty</c>, <c>robust/max_weight</c>).</summary>
    public IReadOnlyDictionary<string, Tensor> Metrics { get; init; } = new Dictionary<string, Tensor>();
}
