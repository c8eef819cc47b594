using System.Globalization;

namespace RiskAlign.Abstractions;

/// <summary>
/// Declares one hyperparameter of a plugin: its name, type, allowed range, default and whether sweeps
/// should space it on a log scale. The plugin catalog checks every sweep value against it before anything runs.
/// </summary>
public sealed record ParameterSpec
{
    /// <summary>Name as written in sweep specs (for example <c>beta</c>).</summary>
    public required string Name { get; init; }
    /// <summary>The value type.</summary>
    public required ParameterKind Kind { get; init; }
    /// <summary>One line a user can read in <c>SweepClient plugins</c>.</summary>
    public required string Description { get; init; }
    /// <summary>Value used when a spec does not name the parameter.</summary>
    public required ParameterValue Default { get; init; }
    /// <summary>Lower bound for numbers, or null for none.</summary>
    public double? Minimum { get; init; }
    /// <summary>Upper bound for numbers, or null for none.</summary>
    public double? Maximum { get; init; }
    /// <summary>True when the lower bound itself is not allowed.</summary>
    public bool MinimumExclusive { get; init; }
    /// <summary>True when the upper bound itself is not allowed.</summary>
    public bool MaximumExclusive { get; init; }
    /// <summary>True when sweeps should space values geometrically.</summary>
    public bool LogScale { get; init; }
    /// <summary>Allowed names for <see cref="ParameterKind.Choice"/>.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>A real-valued parameter.</summary>
    public static ParameterSpec Real(string name, double defaultValue, string description,
        double? minimum = null, double? maximum = null, bool minimumExclusive = false, bool maximumExclusive = false,
        bool logScale = false) => new()
    {
        Name = name, Kind = ParameterKind.Real, Description = description, Default = ParameterValue.Of(defaultValue),
        Minimum = minimum, Maximum = maximum, MinimumExclusive = minimumExclusive, MaximumExclusive = maximumExclusive,
        LogScale = logScale,
    };

    /// <summary>An integer parameter.</summary>
    public static ParameterSpec Integer(string name, int defaultValue, string description, int? minimum = null, int? maximum = null) => new()
    {
        Name = name, Kind = ParameterKind.Integer, Description = description, Default = ParameterValue.Of(defaultValue),
        Minimum = minimum, Maximum = maximum,
    };

    /// <summary>A parameter that takes one of several names.</summary>
    public static ParameterSpec Choice(string name, string defaultValue, string description, params string[] choices) => new()
    {
        Name = name, Kind = ParameterKind.Choice, Description = description, Default = ParameterValue.Of(defaultValue),
        Choices = choices,
    };

    /// <summary>A boolean parameter.</summary>
    public static ParameterSpec Boolean(string name, bool defaultValue, string description) => new()
    {
        Name = name, Kind = ParameterKind.Boolean, Description = description, Default = ParameterValue.Of(defaultValue),
    };

    /// <summary>The allowed values in words, for messages and listings (for example <c>a real in (0, 1]</c>).</summary>
    public string Expected => Kind switch
    {
        ParameterKind.Choice => "one of " + string.Join(", ", Choices.Select(c => $"'{c}'")),
        ParameterKind.Boolean => "true or false",
        _ => (Kind == ParameterKind.Integer ? "an integer" : "a real number") + RangeText,
    };

    private string RangeText => (Minimum, Maximum) switch
    {
        (null, null) => "",
        ({ } lo, null) => $" {(MinimumExclusive ? ">" : ">=")} {Format(lo)}",
        (null, { } hi) => $" {(MaximumExclusive ? "<" : "<=")} {Format(hi)}",
        ({ } lo, { } hi) => $" in {(MinimumExclusive ? "(" : "[")}{Format(lo)}, {Format(hi)}{(MaximumExclusive ? ")" : "]")}",
    };

    private static string Format(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Null when <paramref name="value"/> is allowed, else what was expected.</summary>
    public string? Validate(ParameterValue value)
    {
        switch (Kind)
        {
            case ParameterKind.Choice:
                return value.IsText && Choices.Contains(value.Text!) ? null : $"expected {Expected}, got {Describe(value)}";
            case ParameterKind.Boolean:
                return !value.IsText && (value.Number == 0 || value.Number == 1) ? null : $"expected {Expected}, got {Describe(value)}";
        }
        if (value.IsText || double.IsNaN(value.Number) || double.IsInfinity(value.Number))
            return $"expected {Expected}, got {Describe(value)}";
        double x = value.Number;
        if (Kind == ParameterKind.Integer && Math.Floor(x) != x) return $"expected {Expected}, got {Describe(value)}";
        bool belowMinimum = Minimum is { } lo && (MinimumExclusive ? x <= lo : x < lo);
        bool aboveMaximum = Maximum is { } hi && (MaximumExclusive ? x >= hi : x > hi);
        return belowMinimum || aboveMaximum ? $"expected {Expected}, got {Describe(value)}" : null;
    }

    private static string Describe(ParameterValue value) => value.IsText ? $"'{value.Text}'" : Format(value.Number);
}
