using RiskAlign.Framework.Generation;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;
using RiskAlign.Framework.Models;
using RiskAlign.Framework.Models.Checkpoints;
using RiskAlign.Framework.Models.Llama;
using RiskAlign.Framework.Models.Gpt2;
using RiskAlign.Framework.Models.GptNeoX;
using RiskAlign.Framework.Models.Loading;

namespace RiskAlign.Framework.Tests.Models.Real;

public sealed class LlamaStories260KTests(ITestOutputHelper output)
{
    [Fact]
    public void Header_matches_the_published_shape_and_parameter_count_explains_the_file_size()
    {
        var config = Llama2cCheckpoint.ReadConfig(Stories260K.ModelPath);
        // Expected values: the assets README (dim 64, hidden 172, 5 layers, 8 heads, 4 kv heads, vocab 512, seq 512, shared).
        Assert.Equal((64, 172, 5, 8, 4, 512, 512, true),
            (config.Dim, config.HiddenDim, config.Layers, config.Heads, config.KvHeads, config.VocabularySize, config.MaxSequenceLength, config.TiedEmbeddings));
        // Hand count: 512·64 embedding + 5·(2·64 norms + 2·64·64 wq/wo + 2·32·64 wk/wv + 3·172·64 ffn) + 64 final norm = 260,032.
        Assert.Equal(260_032, config.ParameterCount);
        Assert.Equal(260_032, Stories260K.Model.parameters().Sum(p => p.numel()));
        // file = 28-byte header + 4·(parameters + 512·8 freq_cis floats)
        Assert.Equal(28 + 4L * (260_032 + 512 * 8), new FileInfo(Stories260K.ModelPath).Length);
    }

    [Fact]
    public void Logits_have_shape_batch_by_time_by_vocabulary_and_are_finite()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var ids = tensor(new long[] { 1, 403, 407, 261, 378, 1, 70, 80, 90, 100 }, new long[] { 2, 5 });
        var logits = Stories260K.Model.Forward(ids);
        Assert.Equal(new long[] { 2, 5, 512 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void Greedy_continuation_of_BOS_is_the_recorded_TinyStories_text()
    {
        var text = TextGenerator.Generate(Stories260K.Model, Stories260K.Tokenizer, "", new GenerationOptions { MaxNewTokens = 50 });
        output.WriteLine(text);
        // Regression fixture: this is the output this implementation produced when the test was written (not an independent
        // reference; no llama2.c binary or PyTorch could be run here). Its fluency is the evidence that the math is right;
        // the exact string guards against regressions.
        Assert.Equal(GreedyFromBos50, text);
    }

    private const string GreedyFromBos50 =
        "Once upon a time, there was a little girl named Lily. She loved to play outside in the park. One day, she saw a big, red ball. She wanted to play with";

    [Fact]
    public void Double_backward_through_the_embeddings_works()
    {
        using var scope = NewDisposeScope();
        var model = Stories260K.Model.DeepCopy();
        var embeddings = model.Embed(tensor(new long[] { 1, 403, 407, 261 }).unsqueeze(0)).detach().requires_grad_(true);
        var loss = model.ForwardEmbeddings(embeddings).log_softmax(-1)[0, -1, 5];
        var grad = autograd.grad(new[] { loss }, new[] { embeddings }, retain_graph: true, create_graph: true)[0];
        var penalty = grad.pow(2).sum();
        penalty.backward();
        Assert.True(model.parameters().All(p => p.grad is not null));
    }

    [Fact]
    public void Missing_and_truncated_checkpoints_fail_with_a_message_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.bin");
        var e1 = Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(missing));
        Assert.Contains(missing, e1.Message);
        var truncated = Path.Combine(Path.GetTempPath(), $"truncated-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(truncated, File.ReadAllBytes(Stories260K.ModelPath).AsSpan(0, 1000).ToArray());
        try
        {
            var e2 = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(truncated));
            Assert.Contains(truncated, e2.Message);
            Assert.Contains("1000", e2.Message);
        }
        finally { File.Delete(truncated); }
    }
}
