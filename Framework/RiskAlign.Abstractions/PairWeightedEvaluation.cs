using static TorchSharp.torch;

namespace RiskAlign.Abstractions;

/// <summary>
/// The default <see cref="IEvaluationAccumulator"/>: each chunk's <see cref="IUncertaintySet.Aggregate"/> objective,
/// weighted by its pairs and averaged. Exact, whatever the chunking, for an objective that is a mean of per-pair terms
/// (mean(l + ρ·pen_i)); a set whose objective is not (a square root or log of a mean over the pairs) supplies its own.
/// </summary>
/// <param name="set">The set whose objective is accumulated.</param>
/// <param name="parameters">The trial's values of its parameters.</param>
public sealed class PairWeightedEvaluation(IUncertaintySet set, PluginParameters parameters) : IEvaluationAccumulator
{
    private double _weightedSum;
    private long _pairs;

    /// <inheritdoc />
    public void Add(Tensor perPairLoss, PreferenceBatch batch)
    {
        using var scope = NewDisposeScope();
        var objective = set.Aggregate(perPairLoss, batch, parameters).Loss;
        _weightedSum += batch.PairCount * objective.detach().to_type(ScalarType.Float64).item<double>();
        _pairs += batch.PairCount;
    }

    /// <inheritdoc />
    public double Objective => _pairs == 0 ? double.NaN : _weightedSum / _pairs;
}
