using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Models.Llama;
using RiskAlign.Framework.Tokenizers;
using RiskAlign.Framework.Models.Checkpoints;
using RiskAlign.Framework.Models.Gpt2;
using RiskAlign.Framework.Models.GptNeoX;

namespace RiskAlign.Framework.Tests.Models.Real;

/// <summary>The shared stories260K checkpoint and its tokenizer, loaded once per test run (read-only use only).</summary>
internal static class Stories260K
{
    public static string ModelPath => AssetLocator.Require("models/stories260k/stories260K.bin");
    public static string TokenizerPath => AssetLocator.Require("models/stories260k/tok512.bin");

    private static readonly Lazy<LlamaModel> model = new(() => Llama2cCheckpoint.Load(ModelPath));
    private static readonly Lazy<Llama2cTokenizer> tokenizer = new(() => Llama2cTokenizer.Load(TokenizerPath));

    public static LlamaModel Model => model.Value;
    public static Llama2cTokenizer Tokenizer => tokenizer.Value;
}
