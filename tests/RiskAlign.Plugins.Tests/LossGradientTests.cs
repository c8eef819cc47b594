using RiskAlign.Abstractions;
using RiskAlign.Plugins.Losses;
using RiskAlign.Plugins.RiskMeasures;
using TorchSharp;
using static RiskAlign.Plugins.Tests.TestSupport;
using static TorchSharp.torch;

namespace RiskAlign.Plugins.Tests;

/// Gradients of every loss w.r.t. the policy logits against central finite differences of the same loss (float64),
/// and the stop-gradient of TDPO2 / Ra-DPO2 on the chosen sequential term.
public class LossGradientTests
{
    private static readonly IPreferenceLoss[] AllLosses =
        [new DpoLoss(), new IpoLoss(), new Tdpo1Loss(), new Tdpo2Loss(), new RaDpo1Loss(), new RaDpo2Loss(), new DrDpoLoss()];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        // tdpo2 / ra-dpo2 stop the gradient of the chosen term by design, so finite differences of their value are not
        // their gradient; Variant_2_has_no_gradient_through_the_chosen_sequential_term checks them against the frozen formula.
        foreach (var loss in AllLosses.Where(l => l.Name is not ("tdpo2" or "ra-dpo2")))
            foreach (var risk in loss.Requirements.HasFlag(BatchRequirements.RiskMeasure) ? new[] { "cvar", "entropic" } : new[] { "none" })
                data.Add(loss.Name, risk);
        return data;
    }

    private static BoundRiskMeasure? Risk(string name) => name switch
    {
        // whole-vocab CVaR at c = 0.7 on random logits: no ties, so the tail set is locally constant and differentiable
        "cvar" => new BoundRiskMeasure(new CvarRisk(), Params(new CvarRisk(), ("confidence_level", 0.7), ("variant", "whole-vocab"))),
        "entropic" => new BoundRiskMeasure(new EntropicRisk(), Params(new EntropicRisk(), ("gamma", 2.0))),
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_finite_differences(string lossName, string riskName)
    {
        var loss = AllLosses.Single(l => l.Name == lossName);
        var (policy, reference, labels, mask) = RandomBatch(b: 3, t: 3, v: 5, seed: 7);
        // label_smoothing exercised for dpo; beta large enough that the gradient is not tiny
        var parameters = loss.Name == "dpo" ? Params(loss, ("beta", 0.8), ("label_smoothing", 0.1)) : Params(loss, ("beta", 0.8));
        AssertGradientMatchesFiniteDifferences(policy, x =>
            loss.Compute(Batch(x, reference, labels, Risk(riskName), mask), parameters).PerPairLoss.mean());
    }

    [Theory]
    [InlineData("tdpo2", "none")]
    [InlineData("ra-dpo2", "entropic")]
    [InlineData("ra-dpo2", "cvar")]
    public void Variant_2_has_no_gradient_through_the_chosen_sequential_term(string lossName, string riskName)
    {
        // Proof: autograd of the loss equals the finite-difference gradient of the same formula with the chosen term
        // frozen at its value (a constant), and differs from the one with the chosen term live.
        IPreferenceLoss loss = lossName == "tdpo2" ? new Tdpo2Loss() : new RaDpo2Loss();
        var risk = Risk(riskName);
        var (policy, reference, labels, mask) = RandomBatch(b: 2, t: 3, v: 5, seed: 11);
        double beta = 0.8, alpha = 0.5;
        var parameters = Params(loss, ("beta", beta), ("alpha", alpha));
        Tensor Term(PreferenceBatch b) => lossName == "tdpo2" ? b.SequenceKl : b.SequenceRisk;

        var frozenChosen = Term(Batch(policy, reference, labels, risk, mask)).narrow(0, 0, 2).detach().clone();
        Tensor Formula(Tensor x, bool frozen)
        {
            var b = Batch(x, reference, labels, risk, mask);
            var m = b.SequenceLogRatio; var term = Term(b);
            var chosen = frozen ? frozenChosen : b.Chosen(term);
            return (-nn.functional.logsigmoid(beta * ((b.Chosen(m) - b.Rejected(m)) - alpha * (b.Rejected(term) - chosen)))).mean();
        }

        var leaf = policy.detach().clone().requires_grad_(true);
        var autograd = Values(torch.autograd.grad([loss.Compute(Batch(leaf, reference, labels, risk, mask), parameters).PerPairLoss.mean()], [leaf])[0]);
        var frozenNumeric = NumericGradient(policy, x => Formula(x, frozen: true));
        var liveNumeric = NumericGradient(policy, x => Formula(x, frozen: false));
        for (int i = 0; i < autograd.Length; i++) Near(frozenNumeric[i], autograd[i], 1e-7, $"element {i}");
        Assert.True(autograd.Zip(liveNumeric).Max(p => Math.Abs(p.First - p.Second)) > 1e-4, "the live chosen term must change the gradient");
    }

    private static double[] NumericGradient(Tensor x, Func<Tensor, Tensor> f)
    {
        using var _ = torch.no_grad();
        var flat = x.detach().clone().flatten();
        var g = new double[flat.shape[0]];
        for (long i = 0; i < g.Length; i++)
        {
            var p = flat.clone(); p[i] += 1e-6; var m = flat.clone(); m[i] -= 1e-6;
            g[i] = (Scalar(f(p.reshape(x.shape))) - Scalar(f(m.reshape(x.shape)))) / 2e-6;
        }
        return g;
    }
}
