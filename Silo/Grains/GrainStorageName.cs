namespace RiskAlign.Silo.Grains;

/// <summary>The name of the grain storage the sweep and registry grains persist to; hosting registers a provider
/// (ADO.NET, JSON files or memory) under it.</summary>
public static class GrainStorageName
{
    public const string RiskAlign = "riskalign";
}
