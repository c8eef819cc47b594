using RiskAlign.Abstractions;
using RiskAlign.Plugins.Losses;
using RiskAlign.Plugins.RiskMeasures;
using RiskAlign.Plugins.UncertaintySets;
using TorchSharp;
using static RiskAlign.Plugins.Tests.TestSupport;
using static TorchSharp.torch;

namespace RiskAlign.Plugins.Tests;

/// Limits the papers state: each expected value is another plugin's output or a closed form of the definitions.
public class LimitTests
{
    private static (Tensor Policy, Tensor Reference, long[][] Labels, Tensor Mask) Data() => RandomBatch(b: 4, t: 3, v: 6, seed: 3);

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public void Ra_dpo_with_the_expectation_measure_equals_tdpo_exactly(string variant)
    {
        var (policy, reference, labels, mask) = Data();
        var risk = new BoundRiskMeasure(new ExpectationRisk(), PluginParameters.Empty);
        IPreferenceLoss ra = variant == "1" ? new RaDpo1Loss() : new RaDpo2Loss();
        IPreferenceLoss td = variant == "1" ? new Tdpo1Loss() : new Tdpo2Loss();
        var p1 = policy.detach().clone().requires_grad_(true);
        var p2 = policy.detach().clone().requires_grad_(true);
        var a = ra.Compute(Batch(p1, reference, labels, risk, mask), Params(ra));
        var b = td.Compute(Batch(p2, reference, labels, null, mask), Params(td));
        Assert.Equal(Values(b.PerPairLoss), Values(a.PerPairLoss));
        Assert.Equal(Values(b.ChosenRewards), Values(a.ChosenRewards));
        a.PerPairLoss.sum().backward(); b.PerPairLoss.sum().backward();
        Assert.Equal(Values(p2.grad!), Values(p1.grad!));
    }

    [Fact]
    public void Dr_dpo_tends_to_dpo_as_beta_prime_grows()
    {
        var (policy, reference, labels, mask) = Data();
        var batch = Batch(policy, reference, labels, null, mask);
        double dpo = Scalar(new DpoLoss().Compute(batch, Params(new DpoLoss())).PerPairLoss.mean());
        double dr = Scalar(new DrDpoLoss().Compute(batch, Params(new DrDpoLoss(), ("beta_prime", 1e6))).PerPairLoss.mean());
        Near(dpo, dr, 1e-6, "β′ = 1e6");
        // and with one pair it is DPO for any β′ (robust-dpo.md §3)
        var one = Batch(policy.narrow(0, 0, 1).cat1(policy.narrow(0, 4, 1)), reference.narrow(0, 0, 1).cat1(reference.narrow(0, 4, 1)),
            [labels[0], labels[4]], null, torch.ones(2, 3, ScalarType.Float64));
        Near(Scalar(new DpoLoss().Compute(one, Params(new DpoLoss())).PerPairLoss),
            Scalar(new DrDpoLoss().Compute(one, Params(new DrDpoLoss(), ("beta_prime", 0.01))).PerPairLoss), 1e-12, "n = 1");
    }

    [Fact]
    public void Kl_set_tends_to_the_mean_as_tau_grows_and_is_dpo_with_one_pair()
    {
        var l = torch.tensor(new[] { 0.3, 0.9, 0.6, 1.4 }, ScalarType.Float64);
        var batch = WorkedBatch(WorkedPolicyLogits());
        var set = new KlSet();
        foreach (var weights in new[] { "clamped", "softmax" })
        {
            Near(Scalar(l.mean()), Scalar(set.Aggregate(l, batch, Params(set, ("tau", 1e9), ("weights", weights))).Loss), 1e-8, weights);
            var single = torch.tensor(new[] { 0.8 }, ScalarType.Float64);
            Near(0.8, Scalar(set.Aggregate(single, batch, Params(set, ("tau", 0.001), ("weights", weights))).Loss), 1e-15, weights + " n = 1");
        }
    }

    [Fact]
    public void Entropic_tends_to_the_expectation_as_gamma_shrinks()
    {
        var (policy, reference, _, _) = Data();
        var lp = nn.functional.log_softmax(policy, -1); var lr = nn.functional.log_softmax(reference, -1);
        var kl = Values(new ExpectationRisk().PerPosition(lr, lp, PluginParameters.Empty));
        var erm = Values(new EntropicRisk().PerPosition(lr, lp, Params(new EntropicRisk(), ("gamma", 1e-7))));
        for (int i = 0; i < kl.Length; i++) Near(kl[i], erm[i], 1e-6, $"position {i}");
    }

    [Fact]
    public void Expectation_is_the_batch_token_kl_exactly()
    {
        var (policy, reference, labels, mask) = Data();
        var batch = Batch(policy, reference, labels, new BoundRiskMeasure(new ExpectationRisk(), PluginParameters.Empty), mask);
        Assert.Equal(Values(batch.SequenceKl), Values(batch.SequenceRisk));
    }

    [Fact]
    public void Whole_vocab_cvar_near_confidence_one_is_the_kl_without_its_lowest_term()
    {
        // VaR = (1 − c) quantile; c → 1 puts VaR between the two smallest d, so every entry but the smallest counts:
        // risk = KL − p_ref(v_min)·d(v_min). (c → 0 instead keeps only the largest entry; so "close to KL" holds for
        // c near 1, the high-confidence end, not for small c.)
        var (policy, reference, _, _) = Data();
        var lp = nn.functional.log_softmax(policy, -1); var lr = nn.functional.log_softmax(reference, -1);
        var cvar = new CvarRisk();
        var high = Values(cvar.PerPosition(lr, lp, Params(cvar, ("confidence_level", 1 - 1e-9), ("variant", "whole-vocab"))));
        var low = Values(cvar.PerPosition(lr, lp, Params(cvar, ("confidence_level", 1e-9), ("variant", "whole-vocab"))));
        var lrs = Values(lr); var lps = Values(lp);
        int v = 6;
        for (int pos = 0; pos < high.Length; pos++)
        {
            var r = lrs[(pos * v)..((pos + 1) * v)]; var p = lps[(pos * v)..((pos + 1) * v)];
            var d = r.Select((x, i) => x - p[i]).ToArray();
            int min = Array.IndexOf(d, d.Min()), max = Array.IndexOf(d, d.Max());
            Near(Ref.Kl(r, p) - Math.Exp(r[min]) * d[min], high[pos], 1e-12, $"c → 1, position {pos}");
            Near(Math.Exp(r[max]) * d[max], low[pos], 1e-12, $"c → 0, position {pos}");
        }
    }
}

internal static class TensorExtensions
{
    public static Tensor cat1(this Tensor a, Tensor b) => torch.cat([a, b], 0);
}
