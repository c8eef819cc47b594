using RiskAlign.Abstractions;
using RiskAlign.Plugins.RiskMeasures;
using TorchSharp;
using static RiskAlign.Plugins.Tests.TestSupport;
using static TorchSharp.torch;

namespace RiskAlign.Plugins.Tests;

/// Risk measures against the plain-double definitions of ra-dpo.md (Ref) on tie-free random data, and their gradients
/// w.r.t. the policy logits against central finite differences (float64).
public class RiskMeasureTests
{
    private static (Tensor Policy, Tensor Reference) Data(int v = 7)
    {
        var (policy, reference, _, _) = RandomBatch(b: 2, t: 3, v: v, seed: 5);
        return (policy, reference);
    }

    public static TheoryData<string, string, double> Cases() => new()
    {
        { "cvar", "vocab-halves", 0.95 }, { "cvar", "whole-vocab", 0.95 }, { "cvar", "vocab-halves", 0.6 }, { "cvar", "whole-vocab", 0.3 },
        { "entropic", "", 0.5 }, { "entropic", "", 3.0 }, { "expectation", "", 0 },
    };

    private static (IRiskMeasure Measure, PluginParameters Parameters, Func<double[], double[], double> Reference) Make(string name, string variant, double level) =>
        name switch
        {
            "cvar" => (new CvarRisk(), Params(new CvarRisk(), ("confidence_level", level), ("variant", variant)),
                variant == "whole-vocab" ? (r, p) => Ref.CvarTail(r, p, level) : (r, p) => Ref.CvarHalves(r, p, level)),
            "entropic" => (new EntropicRisk(), Params(new EntropicRisk(), ("gamma", level)), (r, p) => Ref.Entropic(r, p, level)),
            _ => (new ExpectationRisk(), PluginParameters.Empty, Ref.Kl),
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Per_position_risk_matches_the_definition(string name, string variant, double level)
    {
        var (policy, reference) = Data();
        var (measure, parameters, reference1) = Make(name, variant, level);
        var lp = nn.functional.log_softmax(policy, -1); var lr = nn.functional.log_softmax(reference, -1);
        var risk = measure.PerPosition(lr, lp, parameters);
        Assert.Equal(new long[] { 4, 3 }, risk.shape);
        var got = Values(risk); var lps = Values(lp); var lrs = Values(lr);
        for (int pos = 0; pos < got.Length; pos++)
            Near(reference1(lrs[(pos * 7)..((pos + 1) * 7)], lps[(pos * 7)..((pos + 1) * 7)]), got[pos], 1e-12, $"position {pos}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gradient_matches_finite_differences(string name, string variant, double level)
    {
        var (policy, reference) = Data();
        var (measure, parameters, _) = Make(name, variant, level);
        var lr = nn.functional.log_softmax(reference, -1);
        var weights = torch.linspace(0.5, 1.5, 12, ScalarType.Float64).reshape(4, 3);
        AssertGradientMatchesFiniteDifferences(policy, x => (measure.PerPosition(lr, nn.functional.log_softmax(x, -1), parameters) * weights).sum());
    }

    [Fact]
    public void Cvar_vocab_halves_splits_at_floor_half_for_odd_vocabularies()
    {
        // V = 7: halves are entries 0..2 and 3..6 (first ⌊V/2⌋, then the rest), as ra-dpo.md §CVaR step 3.
        var (policy, reference) = Data(7);
        var lp = Values(nn.functional.log_softmax(policy, -1)); var lr = Values(nn.functional.log_softmax(reference, -1));
        var got = Values(new CvarRisk().PerPosition(nn.functional.log_softmax(reference, -1), nn.functional.log_softmax(policy, -1), Params(new CvarRisk())));
        Near(Ref.CvarTail(lr[0..3], lp[0..3], 0.95) + Ref.CvarTail(lr[3..7], lp[3..7], 0.95), got[0], 1e-12, "position 0");
    }
}
