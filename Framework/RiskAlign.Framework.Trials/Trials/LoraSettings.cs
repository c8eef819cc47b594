namespace RiskAlign.Framework.Trials;

/// <summary>
/// <c>training.lora</c>: train low-rank adapters on some linear layers with the base weights frozen (PEFT's LoRA);
/// the reference is the same base with the adapters off, so the weights are held once.
/// </summary>
public sealed record LoraSettings
{
    /// <summary>Rank r of each adapter.</summary>
    public int Rank { get; init; } = 8;
    /// <summary>α; each update is scaled by α/r (PEFT's <c>lora_alpha</c>).</summary>
    public double Alpha { get; init; } = 16;
    /// <summary>Dropout on the adapters' input while training.</summary>
    public double Dropout { get; init; }
    /// <summary>Linear layers to adapt, matched as PEFT's <c>target_modules</c> (full name or its last parts).</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = [];
    /// <summary>What <see cref="TrainingSettings.Save"/> writes: the merged model (default) or the adapter alone.</summary>
    public LoraSaveForm SaveForm { get; init; } = LoraSaveForm.Merged;
}

/// <summary>How a LoRA policy is saved.</summary>
public enum LoraSaveForm
{
    /// <summary>A plain Hugging Face model folder with (α/r)·B·A added to the adapted weights.</summary>
    Merged,
    /// <summary>The adapter alone, in PEFT's layout (adapter_config.json, adapter_model.safetensors).</summary>
    Adapter,
}
