using RiskAlign.Framework.Models;

namespace RiskAlign.Framework.Generation;

/// <summary>How <see cref="TextGenerator"/> picks tokens.</summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to add after the prompt (fewer when a stop token comes or the context is full).</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>0 (or less) is greedy argmax, as run.c with -t 0; otherwise logits are divided by it before sampling.</summary>
    public double Temperature { get; init; }

    /// <summary>Sample only among the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Seed of the CPU <see cref="Random"/> whose uniforms pick the tokens (see <see cref="TokenDraw"/>).</summary>
    public long Seed { get; init; }

    /// <summary>Feed one token a step through the model's KV cache when it has one (<see cref="IKvCacheModel"/>).</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>Stop at the tokenizer's stop ids (EOS; BOS for llama2.c models).</summary>
    public bool StopAtEos { get; init; } = true;

    /// <summary>The draw these options describe (nothing blocked).</summary>
    public DrawSettings ToDrawSettings() => new() { Temperature = Temperature, TopK = TopK, TopP = TopP };

    /// <summary>Throws a clear error for values out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "max new tokens must be ≥ 0.");
        if (double.IsNaN(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be a number.");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top-k must be ≥ 0 (0 = off).");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top-p must be in (0, 1].");
    }
}
