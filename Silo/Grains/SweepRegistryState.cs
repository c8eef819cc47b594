namespace RiskAlign.Silo.Grains;

/// <summary>What the sweep registry persists.</summary>
[GenerateSerializer]
public sealed class SweepRegistryState
{
    [Id(0)] public List<SweepEntry> Sweeps { get; set; } = [];
}
