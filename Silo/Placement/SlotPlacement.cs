using Orleans.Placement;
using RiskAlign.Silo.Devices;

namespace RiskAlign.Silo.Placement;

/// <summary>
/// Places a grain on the silo that the slot board reserved for it: the caller names the silo (and the slot kind)
/// in the request context of the call that activates the grain (<see cref="Target"/>).
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SlotPlacementStrategy : PlacementStrategy
{
}

/// <summary>Marks a grain class for <see cref="SlotPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SlotPlacementAttribute() : PlacementAttribute(new SlotPlacementStrategy());

/// <summary>The request-context entries that carry a slot grant to placement and to the trial grain.</summary>
public static class SlotPlacement
{
    /// <summary>Request-context key of the reserved silo (<see cref="SiloAddress.ToParsableString"/>).</summary>
    public const string SiloKey = "riskalign.slot.silo";
    /// <summary>Request-context key of the reserved slot kind (<c>Gpu</c> or <c>Cpu</c>).</summary>
    public const string KindKey = "riskalign.slot.kind";

    /// <summary>Sets the grant in the request context of the calls made until the result is disposed.</summary>
    public static IDisposable Target(SlotGrant grant)
    {
        RequestContext.Set(SiloKey, grant.Silo);
        RequestContext.Set(KindKey, grant.Kind.ToString());
        return new Scope();
    }

    /// <summary>The slot kind the caller reserved, removing both entries so that they travel no further.</summary>
    public static SlotKind? TakeGrantedKind()
    {
        var kind = RequestContext.Get(KindKey) as string;
        RequestContext.Remove(KindKey);
        RequestContext.Remove(SiloKey);
        return Enum.TryParse<SlotKind>(kind, out var parsed) ? parsed : null;
    }

    private sealed class Scope : IDisposable
    {
        public void Dispose()
        {
            RequestContext.Remove(SiloKey);
            RequestContext.Remove(KindKey);
        }
    }
}
