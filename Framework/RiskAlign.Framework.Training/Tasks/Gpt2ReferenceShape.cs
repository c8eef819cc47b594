using RiskAlign.Framework.Models.Gpt2;
using RiskAlign.Framework.Tokenizers;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The shape of a GPT-2-shaped reference that a task trains from random init instead of loading a pretrained one
/// (<c>imdb-sentiment</c> without <c>model</c>, <c>emotion-shift</c> with <c>width</c>): n_embd, n_layer, n_head and
/// n_positions, with the tokenizer's vocabulary and an MLP of 4 × width.
/// </summary>
internal sealed record Gpt2ReferenceShape(int Width, int Layers, int Heads, int Context)
{
    /// <summary>The settings problem of this shape for <see cref="TaskSettings.CheckTogether"/>, or null.</summary>
    public (string Setting, string Expected, object? Given)? Problem() =>
        Width % Heads != 0 ? ("heads", $"a divisor of width {Width}", Heads) : null;

    /// <summary>The tokenizer of <paramref name="tokenizerPath"/> (a setting of <paramref name="task"/>, resolved under the
    /// assets folder) and a fresh model of this shape with its vocabulary, initialised from <paramref name="seed"/>; frozen.</summary>
    public (CausalLanguageModel Model, ITextTokenizer Tokenizer) New(string task, string tokenizerPath, string? assetsFolder, int seed, Device device)
    {
        var tokenizer = TokenizerLoader.Load(PretrainedReference.Resolve(task, tokenizerPath, "tokenizer", assetsFolder));
        return (NewModel(tokenizer.VocabularySize, seed, device), tokenizer);
    }

    // GPT-2's initialisation (weights N(0, 0.02), residual projections scaled by 1/√(2·layers), biases 0, LayerNorm 1),
    // drawn from the seed in the order of named_parameters, so a seed gives the same model on every run.
    private CausalLanguageModel NewModel(int vocabularySize, int seed, Device device)
    {
        var model = new Gpt2Model(new Gpt2Config(Width, Layers, Heads, vocabularySize, Context, 4 * Width), device);
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (parameter.dim() < 2) { if (name.EndsWith("bias", StringComparison.Ordinal)) parameter.zero_(); continue; }
            double std = name.EndsWith("c_proj.weight", StringComparison.Ordinal) || name.EndsWith("mlp_proj.weight", StringComparison.Ordinal)
                ? 0.02 / Math.Sqrt(2.0 * Layers) : 0.02;
            using var scale = std.ToScalar();
            using var drawn = randn(parameter.shape, generator: generator).mul_(scale);
            parameter.copy_(drawn);
        }
        return model.Freeze();
    }
}
