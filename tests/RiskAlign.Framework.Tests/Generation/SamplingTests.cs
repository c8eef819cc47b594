namespace RiskAlign.Framework.Tests.Generation;

public sealed class SamplingTests
{
    // probabilities after softmax at temperature 1: token 2 ≈ 0.64, token 0 ≈ 0.24, token 1 ≈ 0.09, token 3 ≈ 0.03
    private static Tensor Logits() => tensor(new float[] { 2f, 1f, 3f, 0f });

    private static int Pick(GenerationOptions options, Random random)
    {
        using var logits = Logits().unsqueeze(0); // [1, V]
        using var id = TextGenerator.Pick(logits, options.ToDrawSettings(), random);
        return (int)id.item<long>();
    }

    private static HashSet<int> Drawn(GenerationOptions options, int draws = 300)
    {
        var random = new Random(5);
        var seen = new HashSet<int>();
        for (int i = 0; i < draws; i++) seen.Add(Pick(options, random));
        return seen;
    }

    [Fact]
    public void Greedy_picks_the_largest_logit()
    {
        Assert.Equal(2, Pick(new GenerationOptions { Temperature = 0 }, new Random(1)));
    }

    [Fact]
    public void Top_k_samples_only_among_the_k_most_likely()
    {
        Assert.Equal(new HashSet<int> { 0, 2 }, Drawn(new GenerationOptions { Temperature = 1, TopK = 2 }));
    }

    [Fact]
    public void Top_p_keeps_the_smallest_prefix_whose_probability_reaches_p()
    {
        // 0.64 < 0.8 ≤ 0.64 + 0.24: tokens 2 and 0 only; p = 0.5 is reached by token 2 alone
        Assert.Equal(new HashSet<int> { 0, 2 }, Drawn(new GenerationOptions { Temperature = 1, TopP = 0.8 }));
        Assert.Equal(new HashSet<int> { 2 }, Drawn(new GenerationOptions { Temperature = 1, TopP = 0.5 }));
    }

    [Fact]
    public void Plain_sampling_reaches_every_token()
    {
        Assert.Equal(new HashSet<int> { 0, 1, 2, 3 }, Drawn(new GenerationOptions { Temperature = 1 }, draws: 2000));
    }

    [Fact]
    public void GenerateFromFiles_is_the_one_call_a_CLI_needs()
    {
        var model = AssetLocator.Require("models/stories260k/stories260K.bin");
        var tokenizer = AssetLocator.Require("models/stories260k/tok512.bin");
        var text = TextGenerator.GenerateFromFiles(model, tokenizer, "Once upon a time", new GenerationOptions { MaxNewTokens = 8 });
        Assert.Equal(", there was a little girl", text); // run.c's greedy continuation (see RealModels/Stories260K.cs)
        var missing = Assert.Throws<FileNotFoundException>(() =>
            TextGenerator.GenerateFromFiles("/nonexistent/model.bin", tokenizer, "", new GenerationOptions()));
        Assert.Contains("/nonexistent/model.bin", missing.Message);
    }
}
