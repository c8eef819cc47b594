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
    /// <summary>How long <see cref="ConnectAsync"/> waits for a gateway by default.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(15);

    /// <exception cref="ClusterUnreachableException">No gateway answered within <paramref name="timeout"/> (default 15 s).</exception>
    public static async Task<ClusterConnection> ConnectAsync(int? gatewayPort, string? adoNetConnectionString, string adoNetInvariant, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A cluster that does not answer is reported as one line (ClusterUnreachableException), not the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // Each refused connection attempt is an Orleans warning with a stack; the CLI reports the outcome itself.
        builder.Logging.AddFilter("Orleans", LogLevel.Error);
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
        var where = adoNetConnectionString is not null ? "cluster from the ADO.NET membership table" : $"cluster at gateway localhost:{gatewayPort ?? 30000}";
        var wait = timeout ?? DefaultConnectTimeout;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(wait);
        try
        {
            await host.StartAsync(bounded.Token);
            return new ClusterConnection(host, where);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            var mode = adoNetConnectionString is not null
                ? $"ADO.NET clustering ({adoNetInvariant}, membership table of the --adonet database)"
                : $"localhost clustering, gateway port {gatewayPort ?? 30000}";
            // Orleans' connection errors carry the inner exception's stack in their message: keep its first line.
            var reason = e is OperationCanceledException ? $"no answer within {wait.TotalSeconds:0} s" : e.Message.Split('\n')[0].Trim();
            throw new ClusterUnreachableException($"No RiskAlign cluster reachable by {mode}: {reason}. Is a silo running there (dotnet run --project Silo)?", e);
        }
    }
}
