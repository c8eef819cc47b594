using static TorchSharp.torch;

namespace RiskAlign.Abstractions;

/// <summary>
/// An uncertainty set's objective over held-out pairs that are evaluated chunk by chunk (evaluation's <c>loss/robust</c>
/// for a set that differentiates through the batch): each chunk is added as it is computed, and the objective over every
/// pair added is read at the end. An accumulator that keeps what the objective needs over all pairs (sums, counts) makes
/// the value independent of how the pairs were chunked. Made by <see cref="IUncertaintySet.BeginEvaluation"/>.
/// </summary>
public interface IEvaluationAccumulator
{
    /// <summary>Adds one chunk of pairs.</summary>
    /// <param name="perPairLoss">The chunk's per-pair losses <c>[B]</c>, with a graph to the batch's input embeddings
    /// where the set needs them (as for <see cref="IUncertaintySet.Aggregate"/> with <c>IsTraining</c> false).</param>
    /// <param name="batch">The chunk.</param>
    void Add(Tensor perPairLoss, PreferenceBatch batch);

    /// <summary>The objective over every pair added so far (NaN before the first chunk).</summary>
    double Objective { get; }
}
