using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using RiskAlign.Framework.Telemetry;

namespace RiskAlign.SweepClient.Telemetry;

/// <summary>Where this run's spans and metrics go: trace.jsonl in the output folder (unless null: a resume writes it
/// from the cluster's stored spans instead); the console and an OTLP collector on request (<c>--trace-console</c>,
/// <c>--otlp URL</c> or OTEL_EXPORTER_OTLP_ENDPOINT).</summary>
public sealed class TelemetrySetup : IDisposable
{
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;

    public TelemetrySetup(string? traceFile, bool console, string? otlpEndpoint)
    {
        otlpEndpoint ??= Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        var resource = ResourceBuilder.CreateDefault().AddService("riskalign-sweepclient");
        var tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(RiskAlignTelemetry.Name, "Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
        if (traceFile is not null) tracing.AddProcessor(new SimpleActivityExportProcessor(new JsonLinesSpanExporter(traceFile)));
        var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(RiskAlignTelemetry.Name);
        if (console)
        {
            tracing.AddConsoleExporter();
            metrics.AddConsoleExporter();
        }
        if (!string.IsNullOrWhiteSpace(otlpEndpoint))
        {
            tracing.AddOtlpExporter(o => o.Endpoint = new Uri(otlpEndpoint));
            metrics.AddOtlpExporter(o => o.Endpoint = new Uri(otlpEndpoint));
        }
        _tracing = tracing.Build()!;
        _metrics = metrics.Build()!;
    }

    public void Dispose()
    {
        _tracing.ForceFlush();
        _metrics.ForceFlush();
        _tracing.Dispose();
        _metrics.Dispose();
    }
}
