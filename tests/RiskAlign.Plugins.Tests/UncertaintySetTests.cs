using RiskAlign.Abstractions;
using RiskAlign.Plugins.Losses;
using RiskAlign.Plugins.UncertaintySets;
using TorchSharp;
using static RiskAlign.Plugins.Tests.TestSupport;
using static TorchSharp.torch;

namespace RiskAlign.Plugins.Tests;

/// Expected values: the §7 test vectors of /work/shared/reference/robust-dpo.md (float64, python3), tolerance 1e-8
/// (the table's 10 significant digits), unless said otherwise.
public class UncertaintySetTests
{
    private static readonly double[] L = [0.6587595555, 0.7709570478, 0.6782596763]; // §7.1, β = 0.1
    private static readonly PreferenceBatch AnyBatch = WorkedBatch(WorkedPolicyLogits(false));

    private static (double Loss, double[] Grad) Run(IUncertaintySet set, PluginParameters p)
    {
        var l = torch.tensor(L, ScalarType.Float64).requires_grad_(true);
        var objective = set.Aggregate(l, AnyBatch, p).Loss;
        return (Scalar(objective), Values(torch.autograd.grad([objective], [l])[0]));
    }

    [Theory]
    [InlineData("clamped", true, 1.0, 0.7059429972, 0.3190168064, 0.3568948777, 0.3252987226)]
    [InlineData("clamped", true, 0.05, 1.2373080173, 0.1385399738, 1.3065021731, 0.2046213748)]
    [InlineData("clamped", true, 0.01, 2.5922877786, 0.0041339053, 3.3333333333, 0.0290562799)] // clamp active
    [InlineData("softmax", true, 1.0, 0.7050895521, 0.3186311331, 0.3564634120, 0.3249054549)]
    [InlineData("softmax", false, 1.0, 0.7050895521, 0.3038689538, 0.3799427643, 0.3161882819)]
    [InlineData("softmax", true, 0.05, 0.7500365990, 0.0839807464, 0.7919810046, 0.1240382491)]
    [InlineData("softmax", false, 0.05, 0.7500365990, -0.0693295383, 1.1233529655, -0.0540234271)]
    [InlineData("softmax", true, 0.01, 0.7709468095, 1.34053e-5, 0.9998923715, 9.42231e-5)]
    public void Kl_set_matches_section_7_2(string weights, bool detach, double tau, double loss, double g0, double g1, double g2)
    {
        var set = new KlSet();
        var (value, grad) = Run(set, Params(set, ("tau", tau), ("weights", weights), ("detach_weights", detach)));
        Near(loss, value, 1e-8, "loss");
        double[] expected = [g0, g1, g2];
        for (int i = 0; i < 3; i++) Near(expected[i], grad[i], expected[i] is > 1e-4 or < -1e-4 ? 1e-8 : 1e-9, $"∂L/∂l_{i}");
    }

    [Fact]
    public void Kl_set_reports_weights_and_the_clamp()
    {
        var set = new KlSet();
        var l = torch.tensor(L, ScalarType.Float64);
        var o = set.Aggregate(l, AnyBatch, Params(set, ("tau", 0.01)));
        Near(10.0, Scalar(o.Metrics["robust/max_weight"]), 0, "clamped at 10");
    }

    [Fact]
    public void Kl_softmax_with_gradient_through_weights_matches_finite_differences()
    {
        var set = new KlSet();
        var p = Params(set, ("tau", 0.3), ("weights", "softmax"), ("detach_weights", false));
        AssertGradientMatchesFiniteDifferences(torch.tensor(L, ScalarType.Float64), l => set.Aggregate(l, AnyBatch, p).Loss);
    }

    // Dr-DPO through the whole loss: a batch with T = 1, V = 2 whose summed label log-probs are §7.1's lp/rp
    // (logit a = lp − log(1 − e^lp) on the label, 0 elsewhere, so log σ(a) = lp).
    private static readonly double[] LpC = [-10.0, -12.0, -8.0], LpR = [-11.0, -11.5, -9.5], RpC = [-10.5, -11.0, -8.2], RpR = [-10.8, -12.0, -9.4];

    private static Tensor Logits(double[] chosen, double[] rejected) =>
        torch.tensor(chosen.Concat(rejected).SelectMany(lp => new[] { lp - Math.Log(-double.ExpM1(lp)), 0.0 }).ToArray(), [6, 1, 2], ScalarType.Float64);

    [Theory]
    [InlineData(1.0, 0.7014734480, 0.3478797530, 0.3109584775, 0.3411617694)]
    [InlineData(0.1, 0.6921452015, 0.4654475657, 0.1515665083, 0.3829859260)]
    [InlineData(0.01, 0.6684153654, 0.8754376840, 1.17368e-5, 0.1245505792)]
    public void Dr_dpo_matches_section_7_2(double betaPrime, double loss, double w0, double w1, double w2)
    {
        var policy = Logits(LpC, LpR).requires_grad_(true);
        long[][] labels = [[0], [0], [0], [0], [0], [0]];
        var batch = Batch(policy, Logits(RpC, RpR), labels);
        var dr = new DrDpoLoss();
        var output = dr.Compute(batch, Params(dr, ("beta", 0.1), ("beta_prime", betaPrime)));
        Assert.Equal([3L], output.PerPairLoss.shape);
        var objective = output.PerPairLoss.mean();
        Near(loss, Scalar(objective), 1e-8, "loss");
        // ∂L/∂a_c,i = ∂L/∂l_i · ∂l_i/∂h_i · ∂lp_c,i/∂a_c,i with ∂lp/∂a = 1 − e^lp; ∂l/∂h from §7.1.
        double[] w = [w0, w1, w2];
        double[] dldh = [-0.0482507142, -0.0537429845, -0.0492500562];
        var grad = Values(torch.autograd.grad([objective], [policy])[0]);
        for (int i = 0; i < 3; i++)
            Near(w[i] * dldh[i] * -double.ExpM1(LpC[i]), grad[i * 2], 1e-9, $"∂L/∂a_c,{i}");
    }

    // The same §7.2 values as the legacy loss above: for per-pair DPO losses l (§7.1), ∂L/∂l_i is Dr-DPO's weight w_i.
    [Theory]
    [InlineData(1.0, 0.7014734480, 0.3478797530, 0.3109584775, 0.3411617694)]
    [InlineData(0.1, 0.6921452015, 0.4654475657, 0.1515665083, 0.3829859260)]
    [InlineData(0.01, 0.6684153654, 0.8754376840, 1.17368e-5, 0.1245505792)]
    public void Dr_set_matches_section_7_2(double betaPrime, double loss, double w0, double w1, double w2)
    {
        var set = new DrSet();
        var (value, grad) = Run(set, Params(set, ("beta_prime", betaPrime)));
        Near(loss, value, 1e-8, "loss");
        double[] w = [w0, w1, w2];
        for (int i = 0; i < 3; i++) Near(w[i], grad[i], 1e-8, $"∂L/∂l_{i}");
    }

    [Fact]
    public void Dr_set_with_dpo_equals_the_legacy_dr_dpo_loss_and_its_gradient_matches_finite_differences()
    {
        var (policy, reference, labels, mask) = RandomBatch(4, 3, 5, seed: 3);
        var set = new DrSet();
        var dpo = new DpoLoss();
        var legacy = new DrDpoLoss();
        var setParams = Params(set, ("beta_prime", 0.2));
        Tensor Composed(Tensor x) => set.Aggregate(dpo.Compute(Batch(x, reference, labels, mask: mask), Params(dpo, ("beta", 0.5))).PerPairLoss,
            AnyBatch, setParams).Loss;
        double legacyValue = Scalar(legacy.Compute(Batch(policy, reference, labels, mask: mask), Params(legacy, ("beta", 0.5), ("beta_prime", 0.2))).PerPairLoss.mean());
        Near(legacyValue, Scalar(Composed(policy)), 1e-12, "dpo + dr = dr-dpo");
        AssertGradientMatchesFiniteDifferences(torch.tensor(L, ScalarType.Float64), l => set.Aggregate(l, AnyBatch, setParams).Loss);
    }

    [Fact]
    public void Nominal_is_the_mean_dpo_loss_of_section_7_1()
    {
        var (value, grad) = Run(new NominalSet(), PluginParameters.Empty);
        Near(0.7026587599, value, 1e-9, "DPO mean");
        Assert.All(grad, g => Near(1.0 / 3, g, 1e-15, "1/n"));
    }

    // §7.3: log-linear analogue. Rows of E: chosen [ψ1 of z1 (y=1), ψ2 of z2 (y=0)], rejected [ψ2 of z1, ψ1 of z2].
    private static (Tensor Loss, Tensor DeltaTheta, RobustObjective Objective) LogLinear(double rho, string form, Tensor? deltaTheta = null)
    {
        var dt = deltaTheta ?? torch.tensor(new[] { 0.5, -1.0, 0.25 }, ScalarType.Float64).requires_grad_(true);
        var psi = torch.tensor(new[] { 0.6, 0.2, 0.0, 0.4, 0.1, 0.2, 0.1, 0.7, 0.3, 0.0, 0.5, 0.5 }, [4, 1, 3], ScalarType.Float64).requires_grad_(true);
        var e = psi * 1.0;                                         // embedding-layer output: a graph node, not the leaf
        var score = (e * dt).sum([1, 2]);                          // [4] = Δθᵀψ
        var h = score.narrow(0, 0, 2) - score.narrow(0, 2, 2);     // [2] chosen − rejected
        var l = -nn.functional.logsigmoid(0.1 * h);                // β = 0.1
        // any logits of the right shape: the set only uses PairCount, InputEmbeddings and IsTraining
        var batch = new PreferenceBatch(torch.zeros(4, 1, 2, ScalarType.Float64), torch.zeros(4, 1, 2, ScalarType.Float64),
            torch.zeros(4, 1, ScalarType.Int64), torch.ones(4, 1, ScalarType.Float64)) { InputEmbeddings = e };
        var set = new WassersteinSet();
        var objective = set.Aggregate(l, batch, Params(set, ("rho", rho), ("form", form)));
        return (objective.Loss, dt, objective);
    }

    [Theory]
    [InlineData(0.01, "per-pair-squared", 0.6636658867)]
    [InlineData(0.01, "root-mean", 0.6643899413)]
    [InlineData(1.0, "per-pair-squared", 0.6697790063)]
    [InlineData(1.0, "root-mean", 0.7421844681)]
    public void Wasserstein_matches_section_7_3(double rho, string form, double expected)
    {
        var (loss, _, objective) = LogLinear(rho, form);
        Near(expected, Scalar(loss), 1e-9, "loss");
        if (form == "per-pair-squared") Near((0.0061271688 + 0.0062225678) / 2, Scalar(objective.Metrics["robust/penalty"]), 1e-9, "mean pen");
    }

    [Fact]
    public void Wasserstein_theta_gradient_includes_the_second_order_term()
    {
        var (loss, dt, _) = LogLinear(0.01, "per-pair-squared");
        loss.backward();
        double[] expected = [-0.0217716594, 0.0217246128, 0.0145755725]; // §7.3, β = 0.1, ρ = 0.01
        var g = Values(dt.grad!);
        for (int i = 0; i < 3; i++) Near(expected[i], g[i], 1e-9, $"Δθ.grad[{i}]");
    }

    [Theory]
    [InlineData("per-pair-squared")]
    [InlineData("root-mean")]
    public void Wasserstein_gradient_matches_finite_differences(string form) =>
        AssertGradientMatchesFiniteDifferences(torch.tensor(new[] { 0.5, -1.0, 0.25 }, ScalarType.Float64),
            dt => LogLinear(0.7, form, dt.requires_grad ? dt : dt.requires_grad_(true)).Loss);

    [Fact]
    public void Wasserstein_root_mean_gradient_stays_finite_when_the_penalty_is_zero()
    {
        // Δθ = 0 makes every ∂l/∂ψ zero, so the penalty is exactly 0 where d√x/dx is infinite.
        var (loss, dt, _) = LogLinear(1.0, "root-mean", torch.zeros(3, ScalarType.Float64).requires_grad_(true));
        loss.backward();
        Assert.All(Values(dt.grad!), g => Assert.True(double.IsFinite(g), $"gradient {g}"));
    }

    [Fact]
    public void Wasserstein_without_embeddings_says_what_is_missing()
    {
        var set = new WassersteinSet();
        var l = torch.tensor(L, ScalarType.Float64).requires_grad_(true);
        var ex = Assert.Throws<InvalidOperationException>(() => set.Aggregate(l, AnyBatch, Params(set)));
        Assert.Contains("InputEmbeddings", ex.Message);
        Assert.True(set.Requirements.HasFlag(BatchRequirements.InputEmbeddings));
    }
}
