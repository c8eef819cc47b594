using System.Globalization;

namespace RiskAlign.Silo.Grains;

/// <summary>A duration as the reasons of stopped trials spell it: minutes, up to three decimals, invariant culture.</summary>
internal static class MinutesText
{
    public static string Of(TimeSpan duration) => string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0.###} min");
}
