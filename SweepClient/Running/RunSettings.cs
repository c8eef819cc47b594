namespace RiskAlign.SweepClient.Running;

/// <summary>What <c>SweepClient run</c> was asked to do.</summary>
public sealed record RunSettings
{
    public required FileInfo Spec { get; init; }
    /// <summary>Output folder; default runs/&lt;sweep id&gt;.</summary>
    public DirectoryInfo? Out { get; init; }
    /// <summary>Write into <see cref="Out"/> even when it holds files (earlier results are replaced).</summary>
    public bool Overwrite { get; init; }
    public FileInfo? Plugins { get; init; }
    public DirectoryInfo? Assets { get; init; }
    /// <summary>Gateway port of a running localhost cluster; null (and no ADO.NET) means an embedded silo.</summary>
    public int? Gateway { get; init; }
    public string? AdoNetConnectionString { get; init; }
    public string AdoNetInvariant { get; init; } = "Npgsql";
    /// <summary>Trials the embedded silo runs at once on the CPU; null = half the cores.</summary>
    public int? CpuSlots { get; init; }
    /// <summary>Torch intra-op threads of the embedded silo; null = torch's default.</summary>
    public int? TorchThreads { get; init; }
    /// <summary>Port on localhost where the embedded silo serves the Orleans Dashboard and the live sweep page; null = none.</summary>
    public int? Dashboard { get; init; }
    /// <summary>The embedded silo's on-disk task-build cache; null = none (builds kept in the process only). The
    /// <c>run</c> command sets it to <c>runs/task-cache</c> unless told otherwise.</summary>
    public string? TaskCache { get; init; }
    /// <summary>The embedded silo's reference-output budget as written (<c>512MiB</c>, <c>25%</c>, <c>0</c>); null = the default.</summary>
    public string? ReferenceBudget { get; init; }
    public bool TraceConsole { get; init; }
    public string? OtlpEndpoint { get; init; }
    /// <summary>Resume this sweep instead of starting a new one (<c>run SPEC --resume ID</c>): on the named cluster,
    /// or on the embedded cluster saved in <see cref="Out"/> (default runs/&lt;id&gt;).</summary>
    public string? ResumeId { get; init; }
    /// <summary>Seconds between progress lines when the console is not interactive.</summary>
    public double PlainProgressSeconds { get; init; } = 5;
}
