namespace RiskAlign.Framework.Sweeps;

/// <summary>One arm of a sweep: a loss, optionally a risk measure, and an uncertainty set, each with the values to sweep.</summary>
/// <param name="Name">Arm name (default: loss name, plus "/" and the risk name when there is one).</param>
/// <param name="Path">JSON path of the arm in its spec, for example <c>arms[1]</c>.</param>
public sealed record SweepArm(string Name, string Path, PluginSweep Loss, PluginSweep? Risk, PluginSweep UncertaintySet);

/// <summary>A plugin named by an arm and the parameters it sweeps, in declared order.</summary>
/// <param name="Path">JSON path of the plugin object, for example <c>arms[1].loss</c>.</param>
public sealed record PluginSweep(string Name, string Path, IReadOnlyList<ParameterSweep> Parameters);

/// <summary>
/// The values one parameter takes: an explicit list (a scalar is a list of one) or a range to grid.
/// Exactly one of <see cref="Values"/> and <see cref="Range"/> is set.
/// </summary>
/// <param name="Path">JSON path, for example <c>arms[1].loss.params.alpha</c>.</param>
public sealed record ParameterSweep(string Name, string Path, IReadOnlyList<SweepValue>? Values, ValueRange? Range);

/// <summary>One value as written. <paramref name="IsBoolean"/> keeps JSON true/false apart from the numbers 1/0.</summary>
/// <param name="Path">JSON path of the value, for example <c>arms[0].loss.params.beta[2]</c>.</param>
public sealed record SweepValue(ParameterValue Value, bool IsBoolean, string Path);

/// <summary>How a range spaces its values.</summary>
public enum RangeScale
{
    /// <summary>Evenly: min + i·(max − min)/(count − 1).</summary>
    Linear,
    /// <summary>Geometrically: min·(max/min)^(i/(count − 1)); needs min &gt; 0.</summary>
    Log,
}

/// <summary>
/// <c>{"min", "max", "count", "scale"}</c>: <paramref name="Count"/> values from min to max, both included; without a
/// count, the continuous interval a random or multi-objective sampler draws from (grid search needs a count).
/// </summary>
/// <param name="Scale">Null when the spec leaves it out: the parameter's own <see cref="ParameterSpec.LogScale"/> decides.</param>
public sealed record ValueRange(double Min, double Max, int? Count, RangeScale? Scale)
{
    /// <summary>The grid, from min to max; a count of 1 gives min alone.</summary>
    public IReadOnlyList<double> Values(RangeScale scale)
    {
        if (Count is not { } count) throw new InvalidOperationException("a range without a count has no grid");
        if (count == 1) return [Min];
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double t = (double)i / (count - 1);
            values[i] = scale == RangeScale.Log
                ? Math.Exp(Math.Log(Min) + t * (Math.Log(Max) - Math.Log(Min)))
                : Min + t * (Max - Min);
        }
        // The ends are exactly what the user wrote, not what rounding made of them.
        values[0] = Min;
        values[^1] = Max;
        return values;
    }
}
