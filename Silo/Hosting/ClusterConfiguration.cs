using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace RiskAlign.Silo.Hosting;

/// <summary>Clustering and storage of a RiskAlign silo from <see cref="RiskAlignClusterOptions"/>.</summary>
public static class ClusterConfiguration
{
    /// <summary>Cluster and service id shared by every silo and client of one RiskAlign cluster.</summary>
    public const string DefaultClusterId = "riskalign";

    /// <summary>ADO.NET clustering, storage and reminders when a connection string is configured, else localhost
    /// clustering with in-memory storage and reminders.</summary>
    public static ISiloBuilder UseRiskAlignClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(RiskAlignClusterOptions.Section).Get<RiskAlignClusterOptions>() ?? new();
        if (options.AdoNetConnectionString is { } connection)
        {
            silo.Configure<ClusterOptions>(o => { o.ClusterId = DefaultClusterId; o.ServiceId = DefaultClusterId; });
            silo.UseAdoNetClustering(o => { o.Invariant = options.AdoNetInvariant; o.ConnectionString = connection; });
            silo.AddAdoNetGrainStorage(SiloHostingExtensions.StorageName, o => { o.Invariant = options.AdoNetInvariant; o.ConnectionString = connection; });
            // Reminders in the database: a sweep whose every silo died resumes when a silo comes back (SweepGrain).
            silo.UseAdoNetReminderService(o => { o.Invariant = options.AdoNetInvariant; o.ConnectionString = connection; });
            silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort);
        }
        else
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort,
                options.PrimarySiloPort is { } primary ? new IPEndPoint(IPAddress.Loopback, primary) : null,
                DefaultClusterId, DefaultClusterId);
            silo.AddMemoryGrainStorage(SiloHostingExtensions.StorageName);
            silo.UseInMemoryReminderService(); // held by the cluster's silos: it ends with the cluster, like the storage
        }
        return silo;
    }
}
