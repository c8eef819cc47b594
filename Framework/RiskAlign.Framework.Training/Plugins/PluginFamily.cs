namespace RiskAlign.Framework.Plugins;

/// <summary>The three kinds of plugin, as sweep specs and messages name them.</summary>
public enum PluginFamily
{
    Loss,
    RiskMeasure,
    UncertaintySet,
}

internal static class PluginFamilies
{
    public static string Describe(this PluginFamily family) => family switch
    {
        PluginFamily.Loss => "loss",
        PluginFamily.RiskMeasure => "risk measure",
        _ => "uncertainty set",
    };

    public static IEnumerable<PluginFamily> Of(IPlugin plugin)
    {
        if (plugin is IPreferenceLoss) yield return PluginFamily.Loss;
        if (plugin is IRiskMeasure) yield return PluginFamily.RiskMeasure;
        if (plugin is IUncertaintySet) yield return PluginFamily.UncertaintySet;
    }
}
