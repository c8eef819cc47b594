namespace RiskAlign.Framework.Trials;

/// <summary>How a trial's forwards compute (spec field <c>training.precision</c>).</summary>
public enum TrainingPrecision
{
    /// <summary>Everything in float32 (the default).</summary>
    Fp32,
    /// <summary>Mixed: float32 master weights and AdamW state; matmuls and attention in bfloat16; log-softmax,
    /// per-token KL, risk measures and every plugin's maths in float32.</summary>
    Bf16,
    /// <summary>Float32 with TF32 matmuls where the device has them (CUDA Ampere and newer); plain fp32 on CPU.</summary>
    Tf32,
}

/// <summary>Spec names of <see cref="TrainingPrecision"/>.</summary>
public static class TrainingPrecisionNames
{
    /// <summary>The values <c>training.precision</c> accepts.</summary>
    public static readonly IReadOnlyList<string> All = ["fp32", "bf16", "tf32"];

    /// <summary>Parses a spec name; null when it is none of <see cref="All"/>.</summary>
    public static TrainingPrecision? TryParse(string? name) => name switch
    {
        "fp32" => TrainingPrecision.Fp32,
        "bf16" => TrainingPrecision.Bf16,
        "tf32" => TrainingPrecision.Tf32,
        _ => null,
    };

    /// <summary>The spec name of a precision.</summary>
    public static string Name(this TrainingPrecision precision) => All[(int)precision];
}
