namespace RiskAlign.Framework.Tests.Data;

public sealed class SplitAndTruncationTests
{
    [Fact]
    public void Split_is_deterministic_by_seed_and_partitions_the_items()
    {
        var items = Enumerable.Range(0, 1000).ToArray();
        var (train, eval) = DatasetSplit.TrainEval(items, 0.1, seed: 7);
        var (train2, eval2) = DatasetSplit.TrainEval(items, 0.1, seed: 7);
        var (_, eval3) = DatasetSplit.TrainEval(items, 0.1, seed: 8);

        Assert.Equal(100, eval.Count);
        Assert.Equal(900, train.Count);
        Assert.Equal(eval, eval2);
        Assert.Equal(train, train2);
        Assert.NotEqual(eval, eval3);
        Assert.Equal(items, train.Concat(eval).Order());
        Assert.Equal(eval.Order(), eval); // input order kept
    }

    [Fact]
    public void Split_rejects_a_fraction_outside_0_1()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DatasetSplit.TrainEval(new[] { 1 }, 1.5, 0));
    }

    [Fact]
    public void Truncation_cuts_the_prompt_from_the_left_first()
    {
        var (prompt, response) = PreferenceTruncation.Truncate([1, 2, 3, 4, 5], [10, 11], maxLength: 5);
        Assert.Equal([3, 4, 5], prompt);
        Assert.Equal([10, 11], response);
    }

    [Fact]
    public void Truncation_cuts_the_response_end_only_when_the_prompt_is_gone()
    {
        var (prompt, response) = PreferenceTruncation.Truncate([1, 2], [10, 11, 12, 13], maxLength: 3);
        Assert.Empty(prompt);
        Assert.Equal([10, 11, 12], response);
    }

    [Fact]
    public void Pair_truncation_keeps_a_shared_prompt_sized_by_the_longer_response()
    {
        var pair = PreferenceTruncation.Truncate(new PreferencePair([1, 2, 3, 4], [10], [20, 21, 22]), maxLength: 5, maxPromptLength: 3);
        Assert.Equal([3, 4], pair.Prompt);
        Assert.Equal([10], pair.Chosen);
        Assert.Equal([20, 21, 22], pair.Rejected);
    }

    [Fact]
    public void Tokenize_uses_any_tokenizer_on_prompt_and_responses_separately()
    {
        int[] Chars(string s) => s.Select(c => (int)c).ToArray();
        var pair = PreferenceTruncation.Tokenize(new TextPreferencePair("abcdef", "xy", "z"), Chars, maxLength: 4);
        Assert.Equal(Chars("ef"), pair.Prompt);
        Assert.Equal(Chars("xy"), pair.Chosen);
        Assert.Equal(Chars("z"), pair.Rejected);
    }
}
