namespace RiskAlign.Silo.Hosting;

/// <summary>How silos and clients find each other and where sweeps persist (section <c>RiskAlign:Cluster</c>).</summary>
public sealed class RiskAlignClusterOptions
{
    public const string Section = "RiskAlign:Cluster";

    /// <summary>ADO.NET connection string of the membership and storage database; null for localhost clustering
    /// with in-memory storage (the embedded, single-machine default).</summary>
    public string? AdoNetConnectionString { get; set; }

    /// <summary>ADO.NET provider invariant, for example <c>Npgsql</c>.</summary>
    public string AdoNetInvariant { get; set; } = "Npgsql";

    /// <summary>Silo-to-silo port (localhost clustering).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port (localhost clustering).</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Folder where localhost clustering keeps grain state as JSON files (<see cref="FileGrainStorage"/>), so
    /// sweeps survive the silo's process; null keeps them in memory. Ignored with ADO.NET.</summary>
    public string? StorageFolder { get; set; }

    /// <summary>Silo port of the primary silo when several silos share one machine with localhost clustering.</summary>
    public int? PrimarySiloPort { get; set; }
}
