using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace RiskAlign.SweepClient.Cluster;

/// <summary>A started host with an Orleans client (co-hosted with an embedded silo, or external); disposing stops it.</summary>
public sealed class ClusterConnection(IHost host, string description) : IAsyncDisposable
{
    public IClusterClient Client { get; } = host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Where the sweep runs, in words (embedded silo, or the gateway it connected to).</summary>
    public string Description { get; } = description;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync(TimeSpan.FromSeconds(10));
        host.Dispose();
    }
}
