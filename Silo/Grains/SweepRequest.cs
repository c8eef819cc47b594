namespace RiskAlign.Silo.Grains;

/// <summary>What a client sends to start a sweep: the spec as the user wrote it, re-validated on the silo.</summary>
[GenerateSerializer, Immutable]
public sealed class SweepRequest
{
    /// <summary>The sweep spec JSON.</summary>
    [Id(0)] public required string SpecJson { get; init; }
    /// <summary>Where the spec came from (file name), for error messages.</summary>
    [Id(1)] public required string SourceName { get; init; }
    /// <summary>W3C traceparent of the client's span, so the sweep's spans join the client's trace.</summary>
    [Id(2)] public string? TraceParent { get; init; }
}
