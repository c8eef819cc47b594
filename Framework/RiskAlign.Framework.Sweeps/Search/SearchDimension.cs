namespace RiskAlign.Framework.Sweeps;

/// <summary>
/// One continuous (or integer) parameter a sampler moves in: values from <see cref="Min"/> to <see cref="Max"/>, mapped to
/// the unit interval linearly or, when <see cref="Log"/>, through the logarithm (so a draw is as likely in [1e-3, 1e-2]
/// as in [1e-2, 1e-1]). Samplers work in the unit cube and map back with <see cref="FromUnit"/>.
/// </summary>
public sealed record SearchDimension(string Name, double Min, double Max, bool Log, bool Integer)
{
    /// <summary>The value at position <paramref name="u"/> ∈ [0, 1] (clamped); integers are rounded.</summary>
    public double FromUnit(double u)
    {
        u = Math.Clamp(u, 0, 1);
        double x = Log ? Math.Exp(Math.Log(Min) + u * (Math.Log(Max) - Math.Log(Min))) : Min + u * (Max - Min);
        x = Math.Clamp(x, Min, Max); // exp/log round-off must not leave the declared range
        return Integer ? Math.Round(x, MidpointRounding.AwayFromZero) : x;
    }

    /// <summary>The unit-interval position of <paramref name="x"/>; 0 when the range is a single point.</summary>
    public double ToUnit(double x)
    {
        if (Max == Min) return 0;
        double u = Log ? (Math.Log(x) - Math.Log(Min)) / (Math.Log(Max) - Math.Log(Min)) : (x - Min) / (Max - Min);
        return Math.Clamp(u, 0, 1);
    }
}
