namespace RiskAlign.Framework.Tests.RealModels;

/// <summary>A model written as a Hugging Face folder reads back through <see cref="ModelLoader"/> with the same logits
/// (the expected values are the saved model's own logits), and the tokenizer files travel with it.</summary>
public sealed class HuggingFaceCheckpointWriterTests(Stories260K assets) : IClassFixture<Stories260K>, IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("riskalign-hf-save-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly long[] Ids = [1, 403, 407, 261, 378, 432, 383, 286, 261, 376, 298, 315];

    private void AssertReloadsWithTheSameLogits(CausalLanguageModel model, long[] ids)
    {
        using var _ = no_grad();
        using var input = tensor(ids, [1, ids.Length]);
        using var expected = model.Forward(input);
        using var reloaded = ModelLoader.Load(folder);
        Assert.Equal(model.GetType(), reloaded.GetType());
        double maxDiff = (expected - reloaded.Forward(input)).abs().max().item<float>();
        // A saved interleaved-RoPE model has its q/k rows permuted (Hugging Face's half-split layout), so the matmuls
        // sum in another order: float32 rounding, relative to the logits' size (about 8 ulps of the largest).
        double scale = Math.Max(1.0, expected.abs().max().item<float>());
        Assert.True(maxDiff < 1e-6 * scale, $"max logit difference after save and reload: {maxDiff} (largest |logit| {scale})");
    }

    [Fact]
    public void Stories260K_with_interleaved_RoPE_saves_as_a_Hugging_Face_Llama_that_reloads_with_the_same_logits()
    {
        HuggingFaceCheckpointWriter.Save(assets.Model, folder);
        Assert.Contains("\"model_type\": \"llama\"", File.ReadAllText(Path.Combine(folder, "config.json")));
        AssertReloadsWithTheSameLogits(assets.Model, Ids);
    }

    public static TheoryData<string> LlamaVariants => new() { "qwen2", "mistral", "llama3" };

    [Theory]
    [MemberData(nameof(LlamaVariants))]
    public void Qwen2_Mistral_and_llama3_scaled_models_round_trip(string variant)
    {
        manual_seed(5);
        var config = new LlamaConfig(Dim: 32, HiddenDim: 48, Layers: 2, Heads: 4, KvHeads: 2, VocabularySize: 500, MaxSequenceLength: 64,
            TiedEmbeddings: variant == "qwen2", RopeStyle: RopeStyle.HalfSplit, RopeTheta: 500000,
            RopeScaling: variant == "llama3" ? new RopeScaling(RopeType.Llama3, 8, 1, 4, 512) : null,
            QkvBias: variant == "qwen2", SlidingWindow: variant == "mistral" ? 4 : null);
        using var model = new LlamaModel(config);
        using (no_grad()) foreach (var p in model.parameters()) p.normal_(0, 0.3); // biases and norms away from their init
        HuggingFaceCheckpointWriter.Save(model, folder);
        Assert.Contains($"\"model_type\": \"{(variant == "llama3" ? "llama" : variant)}\"", File.ReadAllText(Path.Combine(folder, "config.json")));
        AssertReloadsWithTheSameLogits(model, Ids);
    }

    [Fact]
    public void GPT2_saves_with_Conv1D_layout_and_its_tokenizer_files()
    {
        manual_seed(6);
        using var model = new Gpt2Model(new Gpt2Config(Dim: 16, Layers: 2, Heads: 2, VocabularySize: 500, MaxSequenceLength: 32, InnerDim: 32));
        var gpt2 = Path.GetDirectoryName(AssetLocator.Require("tokenizers/gpt2/vocab.json"))!;
        HuggingFaceCheckpointWriter.Save(model, folder, gpt2);
        AssertReloadsWithTheSameLogits(model, Ids);
        Assert.Equal([15496, 995], TokenizerLoader.Load(folder).Encode("Hello world", addBos: false));
    }

    [Fact]
    public void GPT_NeoX_round_trips()
    {
        manual_seed(7);
        using var model = new GptNeoXModel(new GptNeoXConfig(Dim: 24, Layers: 2, Heads: 2, InnerDim: 48, VocabularySize: 500, MaxSequenceLength: 32, RotaryPct: 0.5));
        HuggingFaceCheckpointWriter.Save(model, folder);
        AssertReloadsWithTheSameLogits(model, Ids);
    }
}
