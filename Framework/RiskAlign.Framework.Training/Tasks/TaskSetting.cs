using System.Globalization;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// One <c>task.settings</c> entry being parsed (invariant-culture text), with the message a user sees when its value
/// is wrong: every error names the task, the setting, what was expected and what was given.
/// </summary>
internal readonly record struct TaskSetting(string Task, string Name, string? Raw)
{
    private string Text => Raw?.Trim() ?? "";

    /// <summary>An integer in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public int Int(int minimum, int maximum = int.MaxValue) =>
        int.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= minimum && v <= maximum
            ? v
            : throw Invalid(maximum == int.MaxValue ? $"an integer >= {minimum}" : $"an integer in [{minimum}, {maximum}]");

    /// <summary>A finite real number above (or at, unless <paramref name="exclusive"/>) <paramref name="minimum"/> and at most <paramref name="maximum"/>.</summary>
    public double Real(double minimum, double maximum = double.PositiveInfinity, bool exclusive = false) =>
        TryReal(Text, minimum, maximum, exclusive, out double v) ? v : throw Invalid(DescribeRange(minimum, maximum, exclusive));

    /// <summary>A comma-separated list of at least one real number, each in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public double[] Reals(double minimum, double maximum)
    {
        var parts = Text.Split(',', StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!TryReal(parts[i], minimum, maximum, false, out values[i]))
                throw Invalid($"a comma-separated list of numbers in [{Format(minimum)}, {Format(maximum)}]");
        return values;
    }

    /// <summary>A non-empty path.</summary>
    public string Path() => Text.Length > 0 ? Text : throw Invalid("a path");

    /// <summary>One of <paramref name="options"/> (ordinal, as written).</summary>
    public string OneOf(params string[] options) =>
        options.Contains(Text, StringComparer.Ordinal) ? Text : throw Invalid("one of " + string.Join(", ", options));

    /// <summary>The error for a setting the task does not have.</summary>
    public ArgumentException Unknown(IEnumerable<string> known) =>
        new($"Task '{Task}' has no setting '{Name}'; known settings: {string.Join(", ", known)}.");

    /// <summary>The error for a value that is not <paramref name="expected"/>.</summary>
    public ArgumentException Invalid(string expected) =>
        new($"Task '{Task}' setting '{Name}': expected {expected}, got '{Raw}'.");

    private static bool TryReal(string text, double minimum, double maximum, bool exclusive, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value)
        && (exclusive ? value > minimum : value >= minimum) && value <= maximum;

    private static string DescribeRange(double minimum, double maximum, bool exclusive) =>
        double.IsPositiveInfinity(maximum)
            ? $"a real number {(exclusive ? ">" : ">=")} {Format(minimum)}"
            : $"a real number in {(exclusive ? "(" : "[")}{Format(minimum)}, {Format(maximum)}]";

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
