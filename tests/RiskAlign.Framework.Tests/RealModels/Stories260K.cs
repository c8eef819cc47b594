namespace RiskAlign.Framework.Tests.RealModels;

/// <summary>
/// The stories260K checkpoint and tok512 tokenizer: a class fixture (loaded once per test class, the model is 1 MB), or
/// <see cref="Shared"/> for read-only use across classes.
/// Reference values below come from a C transcription of llama2.c run.c (karpathy/llama2.c commit bd182289:
/// <c>transformer</c>, <c>bpe_encode</c>, greedy argmax loop) compiled with gcc and run on these same files on the
/// development machine; no PyTorch reference could be produced (no GPU / Python torch on this task's machine).
/// </summary>
public sealed class Stories260K : IDisposable
{
    public Stories260K()
    {
        ModelPath = AssetLocator.Require("models/stories260k/stories260K.bin");
        TokenizerPath = AssetLocator.Require("models/stories260k/tok512.bin");
        Model = Llama2cCheckpoint.Load(ModelPath);
        Tokenizer = Llama2cTokenizer.Load(TokenizerPath);
    }

    private static readonly Lazy<Stories260K> shared = new(() => new Stories260K());

    /// <summary>One instance for the whole run; never modify its model (take a <c>DeepCopy</c>).</summary>
    public static Stories260K Shared => shared.Value;

    public string ModelPath { get; }
    public string TokenizerPath { get; }
    public LlamaModel Model { get; }
    public Llama2cTokenizer Tokenizer { get; }

    /// <summary>run.c greedy (temperature 0) from BOS: the first 60 tokens it emits.</summary>
    public static readonly int[] RunCGreedyIds =
    [
        403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338, 401, 396, 267, 337, 410, 408, 419, 292, 411, 322,
        265, 282, 295, 433, 426, 385, 328, 432, 358, 394, 261, 370, 432, 352, 266, 268, 388, 426, 338, 391, 266, 267, 337, 335, 312, 432,
        398, 312, 286, 267, 414, 270, 333, 415,
    ];

    /// <summary>The text run.c prints for <see cref="RunCGreedyIds"/> (a regression fixture: fluent TinyStories English).</summary>
    public const string RunCGreedyText =
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with it, but it was too high";

    public void Dispose() => Model.Dispose();
}
