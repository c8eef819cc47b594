using System.Text;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// One shift curve a sweep can draw: every metric <c>&lt;series&gt;/&lt;param&gt;=&lt;x&gt;</c> (see
/// <see cref="ShiftMetricName"/>) with the same series and parameter. Its files are <see cref="FileStem"/> plus
/// <c>.png</c> and <c>.svg</c>.
/// </summary>
/// <param name="Series">What is measured, for example <c>reward</c>.</param>
/// <param name="Parameter">What it is measured against, for example <c>alpha</c>.</param>
/// <param name="FileStem"><c>curve-&lt;series&gt;-vs-&lt;param&gt;</c> with every character other than ASCII letters,
/// digits, <c>.</c>, <c>_</c> and <c>-</c> replaced by <c>-</c>; a number is appended when two families would share
/// a name.</param>
public sealed record ShiftCurveFamily(string Series, string Parameter, string FileStem)
{
    /// <summary>True when <paramref name="name"/> is a point of this family.</summary>
    public bool Contains(ShiftMetricName name) => name.Series == Series && name.Parameter == Parameter;

    /// <summary>
    /// The families present in the final evaluations of the trials that draw curves (<see cref="MetricCurves.Draws"/>),
    /// ordered by series, then parameter (ordinal); none for no results.
    /// </summary>
    public static IReadOnlyList<ShiftCurveFamily> In(IEnumerable<TrialResult> results)
    {
        var pairs = results.Where(MetricCurves.Draws)
            .SelectMany(r => ReportFormat.FinalMetrics(r).Keys)
            .Select(m => ShiftMetricName.TryParse(m, out var name) ? (name.Series, name.Parameter) : default((string Series, string Parameter)?))
            .OfType<(string Series, string Parameter)>()
            .Distinct()
            .OrderBy(p => p.Series, StringComparer.Ordinal).ThenBy(p => p.Parameter, StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.OrdinalIgnoreCase); // case-insensitive file systems
        var families = new List<ShiftCurveFamily>();
        foreach (var (series, parameter) in pairs)
        {
            string stem = Sanitise($"curve-{series}-vs-{parameter}"), unique = stem;
            for (int n = 2; !taken.Add(unique); n++) unique = $"{stem}-{n}";
            families.Add(new ShiftCurveFamily(series, parameter, unique));
        }
        return families;
    }

    private static string Sanitise(string name)
    {
        var safe = new StringBuilder(name.Length);
        foreach (char c in name) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        return safe.ToString();
    }
}
