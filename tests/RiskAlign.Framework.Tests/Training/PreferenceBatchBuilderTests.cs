namespace RiskAlign.Framework.Tests.Training;

public sealed class PreferenceBatchBuilderTests
{
    [Fact]
    public void Inputs_labels_and_mask_of_a_hand_example()
    {
        // prompt [0 5], chosen [3 4 6], rejected [7]; pad id 9.
        // chosen   sequence 0 5 3 4 6 → inputs 0 5 3 4, labels 5 3 4 6, mask 0 1 1 1 (labels 3, 4, 6 are the response)
        // rejected sequence 0 5 7     → inputs 0 5 9 9, labels 5 7 9 9, mask 0 1 0 0
        using var batch = PreferenceBatchBuilder.Build([new PreferencePair([0, 5], [3, 4, 6], [7])], padTokenId: 9, CPU);
        Assert.Equal(new long[] { 2, 4 }, batch.InputIds.shape);
        Assert.Equal(new long[] { 0, 5, 3, 4, 0, 5, 9, 9 }, batch.InputIds.data<long>().ToArray());
        Assert.Equal(new long[] { 5, 3, 4, 6, 5, 7, 9, 9 }, batch.Labels.data<long>().ToArray());
        Assert.Equal(new float[] { 0, 1, 1, 1, 0, 1, 0, 0 }, batch.Mask.data<float>().ToArray());
        Assert.Equal(1, batch.PairCount);
    }

    [Fact]
    public void Chosen_rows_come_first_then_rejected_in_pair_order_padded_to_a_given_length()
    {
        using var batch = PreferenceBatchBuilder.Build(
            [new PreferencePair([1], [2], [3]), new PreferencePair([4], [5], [6])], padTokenId: 0, CPU, length: 3);
        Assert.Equal(new long[] { 4, 3 }, batch.InputIds.shape);
        // label of position 0 of each row: chosen 2, 5 then rejected 3, 6
        Assert.Equal(new long[] { 2, 5, 3, 6 }, batch.Labels.select(1, 0).data<long>().ToArray());
        Assert.Equal(4f, batch.Mask.sum().item<float>());
    }

    [Fact]
    public void Empty_prompt_is_rejected_with_the_pair_index()
    {
        var error = Assert.Throws<ArgumentException>(() => PreferenceBatchBuilder.Build([new PreferencePair([1], [2], [3]), new PreferencePair([], [2], [3])], 0, CPU));
        Assert.Contains("Pair 1 has an empty prompt", error.Message);
    }
}
