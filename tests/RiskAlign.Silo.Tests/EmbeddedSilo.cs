using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>A real single-silo cluster in the test process with the fake runner.</summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedSilo(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<EmbeddedSilo> StartAsync(ITrialRunner runner, int cpuSlots)
    {
        var host = EmbeddedSiloHost.Build(
            new Dictionary<string, string?> { [$"{DeviceOptions.Section}:{nameof(DeviceOptions.CpuSlots)}"] = cpuSlots.ToString() },
            silo =>
            {
                silo.Services.AddSingleton(runner);
            });
        await host.StartAsync();
        return new EmbeddedSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(TimeSpan.FromSeconds(5));
        _host.Dispose();
    }
}
