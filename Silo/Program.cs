using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RiskAlign.Framework.Models.TorchRuntime;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Silo.Dashboard;
using RiskAlign.Silo.Hosting;
using RiskAlign.Silo.Trials;

// A standalone silo for a multi-process or multi-machine cluster. Configure with environment variables
// (RiskAlign__Cluster__AdoNetConnectionString, RiskAlign__Cluster__SiloPort, RiskAlign__Cluster__PrimarySiloPort,
// RiskAlign__Devices__CpuSlots, RiskAlign__Plugins__ConfigPath, OTEL_EXPORTER_OTLP_ENDPOINT) or command-line
// arguments (--RiskAlign:Cluster:SiloPort 11112). The SweepClient connects with --gateway PORT.
// --dashboard PORT serves the Orleans Dashboard and the live sweep page on http://localhost:PORT/ (LiveDashboard).
// With a connection string, the database must be reachable and hold Orleans' schema (Silo/Sql) before Orleans
// starts; otherwise one line says what is wrong and the silo exits with code 2.
// A TorchBackend=system build carries no libtorch: load the user's own before anything touches TorchSharp.
try { LibTorchLocator.EnsureLoaded(); }
catch (LibTorchNotFoundException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
// --cache DIR and --no-cache choose the on-disk task-build cache (default runs/task-cache), as `run` does.
var cacheArgs = TaskCacheArguments.Rewrite(args);
var builder = Host.CreateApplicationBuilder(cacheArgs);
var cluster = builder.Configuration.GetSection(RiskAlignClusterOptions.Section).Get<RiskAlignClusterOptions>() ?? new();
if (cluster.AdoNetConnectionString is { } connectionString
    && await AdoNetSchemaCheck.FindProblemAsync(connectionString, cluster.AdoNetInvariant, CancellationToken.None) is { } problem)
{
    Console.Error.WriteLine($"error: {problem}");
    return 2;
}
if (LiveDashboard.ReadPort(builder.Configuration, out int? dashboardPort) is { } dashboardProblem)
{
    Console.Error.WriteLine($"error: {dashboardProblem}");
    return 2;
}
builder.UseOrleans(silo =>
{
    silo.UseRiskAlignClustering(builder.Configuration).AddRiskAlign(builder.Configuration);
    if (dashboardPort is { } port) silo.AddRiskAlignDashboard(port);
});
builder.AddOpenTelemetry()
    .ConfigureResource(r => r.AddService("riskalign-silo"))
    .WithTracing(tracing =>
    {
        tracing.AddSource(RiskAlignTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
        if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) tracing.AddOtlpExporter();
    });
await builder.Build().RunAsync();
return 0;
