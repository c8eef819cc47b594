using System.Globalization;

namespace RiskAlign.Abstractions;

/// <summary>One hyperparameter value: a number (reals, integers, booleans as 0/1) or a name (choices).</summary>
public readonly record struct ParameterValue(double Number, string? Text)
{
    /// <summary>A numeric value.</summary>
    public static ParameterValue Of(double number) => new(number, null);

    /// <summary>A choice value.</summary>
    public static ParameterValue Of(string text) => new(0, text);

    /// <summary>A boolean value.</summary>
    public static ParameterValue Of(bool flag) => new(flag ? 1 : 0, null);

    /// <summary>True when this value is a name rather than a number.</summary>
    public bool IsText => Text is not null;

    /// <inheritdoc />
    public override string ToString() => Text ?? Number.ToString("G6", CultureInfo.InvariantCulture);
}
