using RiskAlign.Silo.Devices;

namespace RiskAlign.Silo.Placement;

/// <summary>What one silo tells the slot board: its device set by kind and the trials holding its slots now.</summary>
[GenerateSerializer, Immutable]
public sealed class SlotReport
{
    /// <summary>The silo's address (<see cref="SiloAddress.ToParsableString"/>).</summary>
    [Id(0)] public required string Silo { get; init; }
    /// <summary>Grows with every report of this silo, so a late, older report is ignored.</summary>
    [Id(1)] public required long Sequence { get; init; }
    [Id(2)] public required int GpuSlots { get; init; }
    [Id(3)] public required int CpuSlots { get; init; }
    /// <summary>Trial id → kind of the slot it holds.</summary>
    [Id(4)] public required IReadOnlyDictionary<string, SlotKind> Busy { get; init; }
}

/// <summary>A slot the board reserved for a trial: which silo and which kind.</summary>
[GenerateSerializer, Immutable]
public sealed record SlotGrant([property: Id(0)] string Silo, [property: Id(1)] SlotKind Kind);

/// <summary>The board's view of one silo: its slots by kind and how many of each are free (neither held nor reserved).</summary>
[GenerateSerializer, Immutable]
public sealed record SiloSlots(
    [property: Id(0)] string Silo,
    [property: Id(1)] int GpuSlots,
    [property: Id(2)] int CpuSlots,
    [property: Id(3)] int FreeGpuSlots,
    [property: Id(4)] int FreeCpuSlots);
