using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Hosting;

namespace RiskAlign.Tests.Shared;

/// <summary>A silo as Silo/Program.cs configures it for a connection string (ADO.NET clustering, storage and reminders),
/// on free ports with one CPU slot, in this process.</summary>
internal static class AdoNetSiloHost
{
    /// <param name="settings">Further configuration keys (a plugins file, say).</param>
    /// <param name="configureSilo">Runs after RiskAlign's configuration (tests replace services here).</param>
    public static IHost Build(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, Action<ISiloBuilder>? configureSilo = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var configuration = new Dictionary<string, string?>
        {
            [$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.AdoNetConnectionString)}"] = connectionString,
            [$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.SiloPort)}"] = FreePorts.Next().ToString(),
            [$"{RiskAlignClusterOptions.Section}:{nameof(RiskAlignClusterOptions.GatewayPort)}"] = FreePorts.Next().ToString(),
            [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = "1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.UseOrleans(silo =>
        {
            silo.UseRiskAlignClustering(builder.Configuration).AddRiskAlign(builder.Configuration);
            configureSilo?.Invoke(silo);
        });
        return builder.Build();
    }
}
