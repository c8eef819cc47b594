using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace RiskAlign.Silo.Dashboard;

/// <summary>
/// A small Kestrel web application inside the silo's host, on localhost only: the Orleans Dashboard at <c>/</c> and
/// the live sweep page (<see cref="LiveSweepEndpoints"/>). The silo is a generic host, not a web one, so the web
/// application has its own container and takes the grain client, logging and the dashboard's services from the silo's.
/// </summary>
internal sealed class DashboardWebServer(IServiceProvider silo, int port, IReadOnlyList<Type> dashboardServices) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(silo.GetRequiredService<ILoggerFactory>());
        builder.Services.AddSingleton(silo.GetRequiredService<IClusterClient>());
        builder.Services.AddSingleton(silo.GetRequiredService<IOptions<DashboardOptions>>());
        // Instances, not factories: the web container must not dispose the silo's singletons when it is disposed.
        foreach (var type in dashboardServices)
            if (silo.GetService(type) is { } service) builder.Services.AddSingleton(type, service);
        var app = builder.Build();
        app.MapOrleansDashboard();
        app.MapLiveSweepPage();
        await app.StartAsync(cancellationToken);
        _app = app;
        var (dashboard, page) = LiveDashboard.Urls(port);
        silo.GetRequiredService<ILogger<DashboardWebServer>>()
            .LogInformation("Orleans Dashboard on {Dashboard}, live sweeps on {LivePage}", dashboard, page);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app) await app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is { } app) await app.DisposeAsync();
        _app = null;
    }
}
