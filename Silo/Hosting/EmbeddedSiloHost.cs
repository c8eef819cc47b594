using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using RiskAlign.Silo.Dashboard;

namespace RiskAlign.Silo.Hosting;

/// <summary>
/// A single-silo cluster inside the calling process: localhost clustering on free ports (so several can run side
/// by side, as tests do), in-memory storage (JSON files when <c>RiskAlign:Cluster:StorageFolder</c> is set, as
/// <c>run</c> sets it to its output folder's <c>state/</c>), RiskAlign's grains, and a co-hosted client.
/// </summary>
public static class EmbeddedSiloHost
{
    /// <param name="settings">Configuration keys (for example <c>RiskAlign:Plugins:ConfigPath</c>;
    /// <see cref="LiveDashboard.PortKey"/> serves the dashboard, its port checked by the caller).</param>
    /// <param name="configureSilo">Extra silo configuration after RiskAlign's (tests replace services here).</param>
    /// <param name="minimumLogLevel">Console log level; warnings by default so progress output stays readable.</param>
    public static IHost Build(IReadOnlyDictionary<string, string?> settings, Action<ISiloBuilder>? configureSilo = null, LogLevel minimumLogLevel = LogLevel.Warning)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>(settings)
        {
            [$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.SiloPort)}"] = FreePort().ToString(),
            [$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.GatewayPort)}"] = FreePort().ToString(),
            [$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.AdoNetConnectionString)}"] = null,
        };
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error); // start-up notes about server GC are noise for a CLI
        // Orleans' platform watchdog (Orleans.Runtime.Watchdog) warns ".NET Runtime Platform stalled for <the machine's
        // uptime>" at start-up: its first tick is measured from zero, not from when it started. Only its errors are shown;
        // slow steps of a sweep show in the trial spans' timings instead.
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        // One line per task build: "cache hit" or "built in N s".
        builder.Logging.AddFilter(typeof(Trials.CatalogTrialRunner).FullName, LogLevel.Information);
        builder.UseOrleans(silo =>
        {
            silo.UseRiskAlignClustering(builder.Configuration).AddRiskAlign(builder.Configuration);
            if (builder.Configuration[LiveDashboard.PortKey] is { } port) silo.AddRiskAlignDashboard(int.Parse(port, CultureInfo.InvariantCulture));
            configureSilo?.Invoke(silo);
        });
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
