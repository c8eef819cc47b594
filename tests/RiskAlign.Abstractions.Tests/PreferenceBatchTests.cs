using RiskAlign.Abstractions;
using static TorchSharp.torch;

namespace RiskAlign.Abstractions.Tests;

public sealed class PreferenceBatchTests
{
    // One pair, two positions, V = 2; logits chosen so the log-probs are easy to write by hand.
    private static PreferenceBatch Batch(double[] policy, double[] reference, long[] labels, double[] mask) => new(
        tensor(policy, [2, 2, 2], ScalarType.Float64), tensor(reference, [2, 2, 2], ScalarType.Float64),
        tensor(labels, [2, 2]), tensor(mask, [2, 2], ScalarType.Float64));

    [Fact]
    public void Sequence_log_ratio_sums_only_masked_positions()
    {
        // Policy logits [a, 0] give log p(0) = a − log(1 + eᵃ); reference logits are all zero: log ½.
        var batch = Batch([1, 0, 2, 0, 0, 0, 0, 0], new double[8], [0, 0, 1, 1], [1, 0, 1, 1]);
        double lp = 1 - Math.Log(1 + Math.E);
        Assert.Equal(lp - Math.Log(0.5), batch.Chosen(batch.SequenceLogRatio).item<double>(), 12);
        Assert.Equal(0.0, batch.Rejected(batch.SequenceLogRatio).item<double>(), 12); // both distributions uniform there
    }

    [Fact]
    public void Token_KL_is_reference_against_policy_and_zero_off_the_mask()
    {
        var batch = Batch([1, 0, 2, 0, 0, 0, 0, 0], new double[8], [0, 0, 1, 1], [1, 0, 1, 1]);
        // KL(½,½ ‖ p, 1−p) with p = σ(1): ½·log(½/p) + ½·log(½/(1−p)).
        double p = 1 / (1 + Math.Exp(-1));
        double expected = 0.5 * Math.Log(0.5 / p) + 0.5 * Math.Log(0.5 / (1 - p));
        var kl = batch.TokenKl.data<double>().ToArray();
        Assert.Equal(expected, kl[0], 12);
        Assert.Equal(0.0, kl[1], 12); // masked out
    }

    [Fact]
    public void Shapes_that_do_not_fit_are_refused_with_the_shapes_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new PreferenceBatch(zeros(2, 2, 3), zeros(2, 2, 4), zeros(2, 2, ScalarType.Int64), ones(2, 2)));
        Assert.Contains("[2, 2, 3]", error.Message);
        Assert.Throws<ArgumentException>(() => new PreferenceBatch(zeros(3, 2, 3), zeros(3, 2, 3), zeros(3, 2, ScalarType.Int64), ones(3, 2)));
    }

    [Fact]
    public void Sequence_risk_without_a_risk_measure_is_a_broken_invariant_naming_the_requirement()
    {
        var batch = Batch(new double[8], new double[8], [0, 0, 0, 0], [1, 1, 1, 1]);
        var error = Assert.Throws<InvalidOperationException>(() => batch.SequenceRisk);
        Assert.Contains("BatchRequirements.RiskMeasure", error.Message);
    }
}
