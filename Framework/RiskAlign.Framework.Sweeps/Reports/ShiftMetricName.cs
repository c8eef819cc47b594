using System.Globalization;
using System.Text.RegularExpressions;

namespace RiskAlign.Framework.Reports;

/// <summary>
/// A metric named <c>&lt;series&gt;/&lt;param&gt;=&lt;x&gt;</c>, for example <c>reward/alpha=0.10</c>: one point of a
/// shift curve, the value of <c>series</c> measured at <c>param</c> = <c>x</c>. The series may itself hold slashes
/// (<c>rewards/chosen/alpha=0.5</c> is series <c>rewards/chosen</c>); the parameter may not hold <c>/</c> or
/// <c>=</c>; <c>x</c> is a finite number in invariant culture (<c>0.1</c>, <c>-2</c>, <c>1e-3</c>), with no spaces.
/// Names without <c>=</c>, such as <c>kl/true</c>, are ordinary metrics.
/// </summary>
public readonly partial record struct ShiftMetricName(string Series, string Parameter, double X)
{
    private const NumberStyles XStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    /// <summary>Reads <paramref name="metric"/> as a shift-curve point; false when it does not follow the convention.</summary>
    public static bool TryParse(string metric, out ShiftMetricName name)
    {
        name = default;
        var match = Pattern().Match(metric);
        if (!match.Success) return false;
        if (!double.TryParse(match.Groups["x"].ValueSpan, XStyle, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x)) return false;
        name = new ShiftMetricName(match.Groups["series"].Value, match.Groups["param"].Value, x);
        return true;
    }

    [GeneratedRegex(@"^(?<series>.+)/(?<param>[^/=]+)=(?<x>[^/=]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
