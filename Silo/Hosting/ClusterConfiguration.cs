using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Storage;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Hosting;

/// <summary>Clustering and storage of a RiskAlign silo from <see cref="RiskAlignClusterOptions"/>.</summary>
public static class ClusterConfiguration
{
    /// <summary>Cluster and service id shared by every silo and client of one RiskAlign cluster.</summary>
    public const string DefaultClusterId = "riskalign";

    /// <summary>ADO.NET clustering, storage and reminders when a connection string is configured, else localhost
    /// clustering with in-memory reminders and in-memory storage, or JSON files when a storage folder is configured.</summary>
    public static ISiloBuilder UseRiskAlignClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetSection(RiskAlignClusterOptions.Section).Get<RiskAlignClusterOptions>() ?? new();
        if (options.AdoNetConnectionString is { } connection)
        {
            silo.Configure<ClusterOptions>(o => { o.ClusterId = DefaultClusterId; o.ServiceId = DefaultClusterId; });
            silo.UseAdoNetClustering(o => { o.Invariant = options.AdoNetInvariant; o.ConnectionString = connection; });
            silo.AddAdoNetGrainStorage(GrainStorageName.RiskAlign, o => { o.Invariant = options.AdoNetInvariant; o.ConnectionString = connection; });
            // Reminders in the database: a sweep whose every silo died resumes when a silo comes back (SweepGrain).
            silo.UseAdoNetReminderService(o => { o.Invariant = options.AdoNetInvariant; o.ConnectionString = connection; });
            silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort);
        }
        else
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort,
                options.PrimarySiloPort is { } primary ? new IPEndPoint(IPAddress.Loopback, primary) : null,
                DefaultClusterId, DefaultClusterId);
            if (options.StorageFolder is { } folder)
                silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorageName.RiskAlign, (_, _) => new FileGrainStorage(folder));
            else
                silo.AddMemoryGrainStorage(GrainStorageName.RiskAlign);
            silo.UseInMemoryReminderService(); // held by the cluster's silos: it ends with the cluster
        }
        return silo;
    }
}
