using RiskAlign.Framework.Tests.RealModels;

namespace RiskAlign.Framework.Tests.Training;

public sealed class SupervisedFineTuningTests
{
    [Fact]
    public void Fine_tuning_stories260K_on_one_sentence_drives_its_loss_down_and_leaves_the_model_frozen()
    {
        using var model = Stories260K.Shared.Model.DeepCopy();
        var sentence = new[] { 1 }.Concat(Stories260K.Shared.Tokenizer.Encode("i feel so angry at the world today", addBos: false)).ToArray();
        var padded = sentence[..5];

        double first = SupervisedFineTuning.Run(model, [sentence, padded], steps: 1, batchSize: 4, learningRate: 3e-3, seed: 1, padId: 0, CPU);
        double last = SupervisedFineTuning.Run(model, [sentence, padded], steps: 40, batchSize: 4, learningRate: 3e-3, seed: 1, padId: 0, CPU);

        Assert.True(last < first / 2, $"loss {first} → {last}");
        Assert.False(model.training);
        Assert.All(model.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void Sequences_the_model_cannot_hold_are_refused()
    {
        using var model = Stories260K.Shared.Model.DeepCopy();
        var error = Assert.Throws<ArgumentException>(() => SupervisedFineTuning.Run(model, [[1]], 1, 1, 1e-3, 0, 0, CPU));
        Assert.Contains("2 to 512 tokens", error.Message);
    }
}
