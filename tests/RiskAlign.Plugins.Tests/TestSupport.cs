using RiskAlign.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace RiskAlign.Plugins.Tests;

/// Batches, parameters and checks the tests share.
internal static class TestSupport
{
    // ra-dpo.md "Worked values": one pair, two positions, V = 6. Rows: chosen, rejected; [2][T][V].
    public static readonly double[][][] WorkedPolicy =
    [
        [[1.0, 0.2, -0.5, 0.3, 0.0, -1.0], [0.1, 0.9, -0.2, 0.4, -0.3, 0.0]],
        [[0.3, -0.2, 0.6, 0.0, 0.5, -0.4], [-0.5, 0.2, 0.8, 0.1, 0.0, 0.3]],
    ];
    public static readonly double[][][] WorkedReference =
    [
        [[0.8, 0.1, -0.4, 0.5, 0.2, -0.8], [0.0, 0.5, 0.1, 0.3, -0.1, 0.2]],
        [[0.5, 0.0, 0.2, 0.1, 0.4, -0.2], [-0.2, 0.3, 0.4, 0.2, 0.1, 0.1]],
    ];
    public static readonly long[][] WorkedLabels = [[0, 1], [2, 2]];

    public static Tensor ToTensor(double[][][] x) =>
        torch.tensor(x.SelectMany(r => r.SelectMany(t => t)).ToArray(), [x.Length, x[0].Length, x[0][0].Length], ScalarType.Float64);

    public static Tensor WorkedPolicyLogits(bool requiresGrad = true) => ToTensor(WorkedPolicy).requires_grad_(requiresGrad);

    public static PreferenceBatch Batch(Tensor policyLogits, Tensor referenceLogits, long[][] labels, BoundRiskMeasure? risk = null,
        Tensor? mask = null, Tensor? embeddings = null, bool isTraining = true)
    {
        var lab = torch.tensor(labels.SelectMany(r => r).ToArray(), [labels.Length, labels[0].Length], ScalarType.Int64);
        return new PreferenceBatch(policyLogits, referenceLogits, lab, mask ?? torch.ones(lab.shape, ScalarType.Float64))
        {
            RiskMeasure = risk, InputEmbeddings = embeddings, IsTraining = isTraining,
        };
    }

    public static PreferenceBatch WorkedBatch(Tensor policyLogits, BoundRiskMeasure? risk = null) =>
        Batch(policyLogits, ToTensor(WorkedReference), WorkedLabels, risk);

    /// A random batch of B pairs, T positions, V vocabulary, float64, with a mask that drops the first position of the first row.
    public static (Tensor Policy, Tensor Reference, long[][] Labels, Tensor Mask) RandomBatch(int b, int t, int v, int seed)
    {
        var gen = new torch.Generator((ulong)seed);
        var policy = torch.randn([2 * b, t, v], ScalarType.Float64, generator: gen);
        var reference = (policy + 0.5 * torch.randn([2 * b, t, v], ScalarType.Float64, generator: gen)).detach();
        var rng = new Random(seed);
        var labels = Enumerable.Range(0, 2 * b).Select(_ => Enumerable.Range(0, t).Select(_ => (long)rng.Next(v)).ToArray()).ToArray();
        var mask = torch.ones([2 * b, t], ScalarType.Float64);
        mask[0, 0] = 0;
        return (policy, reference, labels, mask);
    }

    public static PluginParameters Params(IPlugin plugin, params (string Name, object Value)[] given) =>
        PluginParameters.WithDefaults(plugin.Parameters, given.ToDictionary(g => g.Name, g => g.Value switch
        {
            string s => ParameterValue.Of(s),
            bool f => ParameterValue.Of(f),
            double d => ParameterValue.Of(d),
            int i => ParameterValue.Of(i),
            _ => throw new ArgumentException(g.Name),
        }));

    public static double Scalar(Tensor t) => t.to_type(ScalarType.Float64).item<double>();

    public static double[] Values(Tensor t) => t.detach().to_type(ScalarType.Float64).data<double>().ToArray();

    /// Compares autograd's gradient of the scalar f(x) with central finite differences of f (float64, step 1e-6).
    public static void AssertGradientMatchesFiniteDifferences(Tensor x, Func<Tensor, Tensor> f, double tolerance = 1e-7)
    {
        var leaf = x.detach().clone().requires_grad_(true);
        var analytic = torch.autograd.grad([f(leaf)], [leaf])[0].flatten();
        var flat = x.detach().clone().flatten();
        const double h = 1e-6;
        // not under no_grad: a gradient penalty (wasserstein) needs the graph of its own input
        for (long i = 0; i < flat.shape[0]; i++)
        {
            var plus = flat.clone(); plus[i] += h;
            var minus = flat.clone(); minus[i] -= h;
            double numeric = (Scalar(f(plus.reshape(x.shape))) - Scalar(f(minus.reshape(x.shape)))) / (2 * h);
            double a = analytic[i].item<double>();
            Assert.True(Math.Abs(a - numeric) <= tolerance * (1 + Math.Abs(numeric)),
                $"element {i}: autograd {a:R} vs finite differences {numeric:R}");
        }
    }

    public static void Near(double expected, double actual, double tolerance, string what = "") =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (tol {tolerance})");
}

/// Independent reference arithmetic in plain doubles (ra-dpo.md definitions), not the code under test.
internal static class Ref
{
    public static double[] LogSoftmax(double[] z)
    {
        double max = z.Max();
        double lse = max + Math.Log(z.Sum(v => Math.Exp(v - max)));
        return z.Select(v => v - lse).ToArray();
    }

    public static double LogSigmoid(double x) => x >= 0 ? -Math.Log(1 + Math.Exp(-x)) : x - Math.Log(1 + Math.Exp(x));

    public static double Kl(double[] logpRef, double[] logp) => logpRef.Select((r, v) => Math.Exp(r) * (r - logp[v])).Sum();

    public static double Quantile(double[] x, double q)
    {
        var s = x.OrderBy(v => v).ToArray();
        double pos = q * (s.Length - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, s.Length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    public static double CvarTail(double[] logpRef, double[] logp, double c)
    {
        var d = logpRef.Select((r, v) => r - logp[v]).ToArray();
        double var = Quantile(d, 1 - c);
        return d.Select((dv, v) => dv > var ? Math.Exp(logpRef[v]) * dv : 0).Sum();
    }

    public static double CvarHalves(double[] logpRef, double[] logp, double c)
    {
        int h = logpRef.Length / 2;
        return CvarTail(logpRef[..h], logp[..h], c) + CvarTail(logpRef[h..], logp[h..], c);
    }

    public static double Entropic(double[] logpRef, double[] logp, double gamma)
    {
        var a = logpRef.Select((r, v) => gamma * (r - logp[v]) + r).ToArray();
        double max = a.Max();
        return (max + Math.Log(a.Sum(x => Math.Exp(x - max)))) / gamma;
    }

    /// Sums a per-position quantity over the two worked positions of row r.
    public static double SumPositions(int row, Func<double[], double[], long, double> perPosition)
    {
        double total = 0;
        for (int t = 0; t < 2; t++)
        {
            var lp = LogSoftmax(TestSupport.WorkedPolicy[row][t]);
            var lr = LogSoftmax(TestSupport.WorkedReference[row][t]);
            total += perPosition(lr, lp, TestSupport.WorkedLabels[row][t]);
        }
        return total;
    }

    public static double M(int row) => SumPositions(row, (lr, lp, y) => lp[y] - lr[y]);
    public static double K(int row) => SumPositions(row, (lr, lp, _) => Kl(lr, lp));
    public static double R(int row, double c = 0.95) => SumPositions(row, (lr, lp, _) => CvarHalves(lr, lp, c));
}
