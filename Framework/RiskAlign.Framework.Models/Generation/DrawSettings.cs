namespace RiskAlign.Framework.Generation;

/// <summary>How <see cref="TokenDraw"/> turns next-token logits into a token: which ids may come, and how the
/// distribution over the rest is shaped before the draw.</summary>
public sealed record DrawSettings
{
    /// <summary>Ancestral sampling from the model's own distribution (temperature 1, nothing cut).</summary>
    public static DrawSettings Plain { get; } = new();

    /// <summary>0 (or less) is greedy argmax; otherwise logits are divided by it before the softmax.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Draw only among the k most likely tokens; 0 keeps all.</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus: keep the smallest set of most likely tokens whose probability reaches p; 1 keeps all.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Smallest id that may be drawn (1 keeps a BOS at 0 out of responses).</summary>
    public int AllowedFrom { get; init; }

    /// <summary>Further ids that are never drawn; the distribution is renormalised over the rest.</summary>
    public IReadOnlyList<int> Blocked { get; init; } = [];

    /// <summary>Throws a clear error for values out of range.</summary>
    public void Validate()
    {
        if (double.IsNaN(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be a number.");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top-k must be ≥ 0 (0 = off).");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top-p must be in (0, 1].");
        if (AllowedFrom < 0) throw new ArgumentOutOfRangeException(nameof(AllowedFrom), AllowedFrom, "the smallest allowed id must be ≥ 0.");
    }
}
