using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using RiskAlign.Silo.Hosting;

namespace RiskAlign.SweepClient.Cluster;

/// <summary>A client of a running RiskAlign cluster: through a localhost gateway port, or through the ADO.NET
/// membership table the silos use.</summary>
public static class RemoteCluster
{
    public static async Task<ClusterConnection> ConnectAsync(int? gatewayPort, string? adoNetConnectionString, string adoNetInvariant, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            if (adoNetConnectionString is not null)
            {
                client.Configure<ClusterOptions>(o => { o.ClusterId = ClusterConfiguration.DefaultClusterId; o.ServiceId = ClusterConfiguration.DefaultClusterId; });
                client.UseAdoNetClustering(o => { o.Invariant = adoNetInvariant; o.ConnectionString = adoNetConnectionString; });
            }
            else
            {
                client.UseLocalhostClustering(gatewayPort ?? 30000, ClusterConfiguration.DefaultClusterId, ClusterConfiguration.DefaultClusterId);
            }
            client.Services.AddSerializer(s => s.AddJsonSerializer(RiskAlignJson.IsCarriedAsJson, RiskAlignJson.Options));
            client.AddActivityPropagation();
        });
        var host = builder.Build();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterUnreachableException(clock.Elapsed, e);
        }
        var where = adoNetConnectionString is not null ? "cluster from the ADO.NET membership table" : $"cluster at gateway localhost:{gatewayPort ?? 30000}";
        return new ClusterConnection(host, where);
    }
}
