namespace RiskAlign.Framework.Tests.RealModels;

public sealed class Stories260KLlamaTests(Stories260K assets) : IClassFixture<Stories260K>
{
    [Fact]
    public void Header_is_read_and_parameter_count_follows_from_it()
    {
        var config = Llama2cCheckpoint.ReadConfig(assets.ModelPath);
        Assert.Equal(new LlamaConfig(64, 172, 5, 8, 4, 512, 512, TiedEmbeddings: true), config);
        // 512·64 embedding (shared with the classifier) + 5 layers · (2·64 norms + 2·64² for wq, wo + 2·32·64 for wk, wv
        // + 3·172·64 for w1, w2, w3) + 64 final norm. The assets README's "264k" also counts the 2·512·4 freq_cis floats.
        const long expected = 512 * 64 + 5 * (2 * 64 + 2 * 64 * 64 + 2 * 32 * 64 + 3 * 172 * 64) + 64;
        Assert.Equal(260_032, expected);
        Assert.Equal(expected, config.ParameterCount);
        Assert.Equal(expected, assets.Model.parameters().Sum(p => p.numel()));
        // file = 28-byte header + 4·(parameters + 512·8 freq_cis floats)
        Assert.Equal(28 + 4L * (expected + 512 * 8), new FileInfo(assets.ModelPath).Length);
    }

    [Fact]
    public void Logits_have_shape_batch_by_time_by_vocabulary_and_are_finite()
    {
        using var _ = no_grad();
        using var ids = tensor(new long[] { 1, 403, 407, 261, 1, 346, 306, 414 }, [2, 4]);
        using var logits = assets.Model.Forward(ids);
        Assert.Equal(new long[] { 2, 4, 512 }, logits.shape);
        Assert.True(logits.isfinite().all().item<bool>());
    }

    [Fact]
    public void Logits_after_BOS_match_run_c()
    {
        // run.c's logits[0..7] at position 0 for token BOS (see Stories260K for how they were produced).
        float[] expected = [-6.222911f, 8.404342f, -6.223737f, -6.222542f, -6.221951f, -6.222875f, -6.221880f, -6.223416f];
        using var _ = no_grad();
        using var ids = tensor(new long[] { 1 }, [1, 1]);
        using var logits = assets.Model.Forward(ids);
        var actual = logits[0, 0].narrow(0, 0, 8).data<float>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 1e-4f);
    }

    [Fact]
    public void Greedy_continuation_of_BOS_is_run_c_s_fluent_story()
    {
        var options = new GenerationOptions { MaxNewTokens = Stories260K.RunCGreedyIds.Length, Temperature = 0 };
        var ids = TextGenerator.GenerateIds(assets.Model, [1], options, assets.Tokenizer.StopIds);
        Assert.Equal(Stories260K.RunCGreedyIds, ids);
        Assert.Equal(Stories260K.RunCGreedyText, TextGenerator.Generate(assets.Model, assets.Tokenizer, "", options));
    }

    [Fact]
    public void Greedy_continuation_without_the_cache_is_the_same()
    {
        var options = new GenerationOptions { MaxNewTokens = 30, UseKvCache = false };
        var ids = TextGenerator.GenerateIds(assets.Model, [1], options, assets.Tokenizer.StopIds);
        Assert.Equal(Stories260K.RunCGreedyIds.Take(30), ids);
    }

    [Fact]
    public void Prompted_greedy_continuation_keeps_the_space_between_prompt_and_continuation()
    {
        // run.c forces the prompt ids 403 407 261 378 then continues 432 383 286 261 376 298 315 421 (its greedy-from-BOS ids 5..12)
        var options = new GenerationOptions { MaxNewTokens = 8 };
        string text = TextGenerator.Generate(assets.Model, assets.Tokenizer, "Once upon a time", options);
        Assert.Equal(", there was a little girl", text);
    }

    [Fact]
    public void Changing_a_later_token_leaves_earlier_logits_unchanged()
    {
        using var _ = no_grad();
        using var a = assets.Model.Forward(tensor(new long[] { 1, 403, 407, 261, 378, 432 }, [1, 6]));
        using var b = assets.Model.Forward(tensor(new long[] { 1, 403, 407, 261, 9, 17 }, [1, 6]));
        Assert.True(a.narrow(1, 0, 4).allclose(b.narrow(1, 0, 4), rtol: 0, atol: 1e-5));
        Assert.False(a.narrow(1, 4, 1).allclose(b.narrow(1, 4, 1), rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void Gradient_of_an_input_gradient_exists_so_WDPO_penalties_work()
    {
        using var copy = (LlamaModel)assets.Model.DeepCopy();
        using var ids = tensor(new long[] { 1, 403, 407, 261 }, [1, 4]);
        var embeddings = copy.Embed(ids).detach().requires_grad_(true);
        var loss = copy.ForwardEmbeddings(embeddings).log_softmax(-1)[0, -1, 378];
        var grad = autograd.grad([loss], [embeddings], retain_graph: true, create_graph: true)[0];
        var penalty = grad.pow(2).sum();
        penalty.backward();
        var wq = copy.named_parameters().Single(p => p.name == "layers.0.attention.wq.weight").parameter;
        Assert.NotNull(wq.grad);
        Assert.True(wq.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void DeepCopy_gives_the_same_logits_and_independent_weights()
    {
        using var copy = assets.Model.DeepCopy();
        using var _ = no_grad();
        using var ids = tensor(new long[] { 1, 403, 407 }, [1, 3]);
        Assert.True(assets.Model.Forward(ids).allclose(copy.Forward(ids), rtol: 0, atol: 0));
        copy.parameters().First().add_(1.0f);
        Assert.False(assets.Model.Forward(ids).allclose(copy.Forward(ids)));
    }

    [Fact]
    public void ModelLoader_opens_the_llama2c_file()
    {
        using var model = ModelLoader.Load(assets.ModelPath, CPU);
        Assert.IsType<LlamaModel>(model);
        Assert.Equal(512, model.VocabularySize);
        Assert.Equal(512, model.MaxSequenceLength);
    }
}

public sealed class Llama2cCheckpointErrorTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"riskalign-llama2c-{Guid.NewGuid():N}.bin");

    public void Dispose() => File.Delete(path);

    [Fact]
    public void A_version_1_export_is_refused_by_name_not_misread()
    {
        // export.py version 1 starts with uint32 0x616b3432 ("ak42"), then int version, then the header
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(0x616b3432), .. BitConverter.GetBytes(1), .. new byte[200]]);
        var e = Assert.Throws<NotSupportedException>(() => Llama2cCheckpoint.Load(path));
        Assert.Contains("ak42", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Missing_and_truncated_checkpoints_fail_with_a_message_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.bin");
        var e1 = Assert.Throws<FileNotFoundException>(() => ModelLoader.Load(missing));
        Assert.Contains(missing, e1.Message);
        File.WriteAllBytes(path, File.ReadAllBytes(Stories260K.Shared.ModelPath).AsSpan(0, 1000).ToArray());
        var e2 = Assert.Throws<InvalidDataException>(() => ModelLoader.Load(path));
        Assert.Contains(path, e2.Message);
        Assert.Contains("1000", e2.Message);
    }

    [Fact]
    public void A_header_with_impossible_sizes_names_the_file()
    {
        File.WriteAllBytes(path, [.. new[] { 64, 172, 5, 7, 4, 512, 512 }.SelectMany(BitConverter.GetBytes)]); // 64 dims over 7 heads
        var e = Assert.Throws<InvalidDataException>(() => Llama2cCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("heads 7", e.Message);
    }
}
