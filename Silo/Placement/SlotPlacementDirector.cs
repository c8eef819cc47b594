using Orleans.Runtime.Placement;

namespace RiskAlign.Silo.Placement;

/// <summary>
/// Activates a <see cref="SlotPlacementAttribute"/> grain on the silo named in the activating call's request context
/// (<see cref="SlotPlacement.SiloKey"/>) when that silo is among the compatible ones; anywhere at random otherwise
/// (no grant, or the silo left meanwhile: the trial then queues on that silo's own slots).
/// </summary>
internal sealed class SlotPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        if (target.RequestContextData is { } data && data.TryGetValue(SlotPlacement.SiloKey, out var value) && value is string named)
        {
            var wanted = SiloAddress.FromParsableString(named);
            foreach (var silo in compatible)
                if (silo.Equals(wanted)) return Task.FromResult(silo);
        }
        return Task.FromResult(compatible[Random.Shared.Next(compatible.Length)]);
    }
}
