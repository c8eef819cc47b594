using Microsoft.Extensions.Hosting;
using RiskAlign.Silo.Hosting;

namespace RiskAlign.SweepClient.Cluster;

/// <summary>The default when no cluster is named: a single-silo Orleans cluster inside this process.</summary>
public static class EmbeddedCluster
{
    public static async Task<ClusterConnection> StartAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var host = EmbeddedSiloHost.Build(settings);
        await host.StartAsync(cancellationToken);
        return new ClusterConnection(host, "embedded single-silo cluster");
    }
}
