using RiskAlign.Plugins.Losses;
using TorchSharp;
using static RiskAlign.Plugins.Tests.TestSupport;
using static TorchSharp.torch;

namespace RiskAlign.Plugins.Tests;

/// IPO in both forms against values computed here in float64 from the worked logits (Ref.LogSoftmax), independent of
/// PreferenceBatch: the chosen response keeps only its second token (mask [0, 1]), the rejected both, so the forms differ.
public class IpoTests
{
    private static readonly double[][] Mask = [[0, 1], [1, 1]];

    // Σ or mean over the masked positions of log π(y_t) − log π_ref(y_t), for row r.
    private static double LogRatio(int row, bool mean)
    {
        double sum = 0, count = 0;
        for (int t = 0; t < 2; t++)
        {
            if (Mask[row][t] == 0) continue;
            int y = (int)WorkedLabels[row][t];
            sum += Ref.LogSoftmax(WorkedPolicy[row][t])[y] - Ref.LogSoftmax(WorkedReference[row][t])[y];
            count++;
        }
        return mean ? sum / count : sum;
    }

    [Theory]
    [InlineData(false, 0.1)]
    [InlineData(true, 0.1)]
    [InlineData(true, 2.0)]
    public void Ipo_matches_hand_computed_summed_and_length_normalized_forms(bool normalized, double beta)
    {
        double h = LogRatio(0, normalized) - LogRatio(1, normalized);
        double expected = Math.Pow(h - 1 / (2 * beta), 2);
        var ipo = new IpoLoss();
        var batch = Batch(WorkedPolicyLogits(false), ToTensor(WorkedReference), WorkedLabels,
            mask: torch.tensor(Mask.SelectMany(r => r).ToArray(), [2, 2], ScalarType.Float64));
        var output = ipo.Compute(batch, Params(ipo, ("beta", beta), ("length_normalized", normalized)));
        Near(expected, Scalar(output.PerPairLoss), 1e-12, "loss");
        Near(beta * LogRatio(0, normalized), Scalar(output.ChosenRewards), 1e-12, "chosen reward");
        Assert.NotEqual(LogRatio(1, true), LogRatio(1, false)); // two rejected tokens against one chosen: the forms differ
    }

    [Fact]
    public void Length_normalized_ipo_gradient_matches_finite_differences()
    {
        var ipo = new IpoLoss();
        var p = Params(ipo, ("beta", 0.3), ("length_normalized", true));
        var (policy, reference, labels, mask) = RandomBatch(3, 4, 5, seed: 7);
        AssertGradientMatchesFiniteDifferences(policy, x => ipo.Compute(Batch(x, reference, labels, mask: mask), p).PerPairLoss.sum());
    }
}
