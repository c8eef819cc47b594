namespace RiskAlign.Framework.Pareto;

/// <summary>
/// A metric over a setting's seeds (replicates): the mean, the half-width of its 95% Student-t confidence interval
/// (t₀.₉₇₅,ₙ₋₁ · s/√n with the sample standard deviation s; NaN for one seed), and the min and max.
/// </summary>
public sealed record ReplicateInterval(int Count, double Mean, double HalfWidth, double Min, double Max)
{
    // t quantiles 0.975 for 1..30 degrees of freedom (any statistics table); 1.96 (normal) beyond.
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>The interval of the finite values of <paramref name="values"/>; all NaN with count 0 when there is none.</summary>
    public static ReplicateInterval Of(IEnumerable<double> values)
    {
        var xs = values.Where(double.IsFinite).ToList();
        if (xs.Count == 0) return new ReplicateInterval(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = xs.Average();
        double halfWidth = double.NaN;
        if (xs.Count > 1)
        {
            double sd = Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
            int df = xs.Count - 1;
            halfWidth = (df <= T975.Length ? T975[df - 1] : 1.96) * sd / Math.Sqrt(xs.Count);
        }
        return new ReplicateInterval(xs.Count, mean, halfWidth, xs.Min(), xs.Max());
    }
}
