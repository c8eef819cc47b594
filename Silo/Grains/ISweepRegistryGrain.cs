namespace RiskAlign.Silo.Grains;

/// <summary>
/// The sweeps a cluster knows, so <c>list</c> can show them: one grain, key <see cref="Key"/>, persisted in the
/// sweeps' storage. Clients register a sweep once it started.
/// </summary>
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>The one registry of a cluster.</summary>
    const long Key = 0;

    /// <summary>Records a started sweep (idempotent).</summary>
    Task Register(SweepEntry entry);

    /// <summary>Every registered sweep, oldest first.</summary>
    Task<IReadOnlyList<SweepEntry>> GetAll();
}
