namespace RiskAlign.Framework.Tests.Models;

public sealed class TinyCausalTransformerTests
{
    private static readonly TinyTransformerConfig Config = new() { VocabularySize = 11, MaxSequenceLength = 9, ModelDim = 16, Layers = 2, Heads = 2 };

    private static Tensor Ids(params long[][] rows) => tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, rows[0].Length]);

    [Fact]
    public void Changing_a_later_token_leaves_earlier_logits_unchanged()
    {
        using var model = new TinyCausalTransformer(Config, seed: 3);
        model.eval();
        using var _ = no_grad();
        using var a = model.Forward(Ids([0, 4, 7, 2, 9, 1, 3, 5]));
        using var b = model.Forward(Ids([0, 4, 7, 2, 9, 8, 6, 10])); // differs from position 5 on
        Assert.True(a.narrow(1, 0, 5).allclose(b.narrow(1, 0, 5), rtol: 0, atol: 1e-6));
        Assert.False(a.narrow(1, 5, 1).allclose(b.narrow(1, 5, 1), rtol: 0, atol: 1e-4));
    }

    [Fact]
    public void Same_seed_gives_same_weights_and_different_seed_different()
    {
        using var m1 = new TinyCausalTransformer(Config, seed: 5);
        using var m2 = new TinyCausalTransformer(Config, seed: 5);
        using var m3 = new TinyCausalTransformer(Config, seed: 6);
        using var _ = no_grad();
        using var ids = Ids([0, 1, 2, 3]);
        using var y1 = m1.Forward(ids);
        using var y2 = m2.Forward(ids);
        using var y3 = m3.Forward(ids);
        Assert.True(y1.allclose(y2, rtol: 0, atol: 0));
        Assert.False(y1.allclose(y3));
    }

    [Fact]
    public void Double_backward_through_the_input_embeddings_gives_finite_nonzero_parameter_gradients()
    {
        using var model = new TinyCausalTransformer(Config, seed: 1);
        using var scope = NewDisposeScope();
        var ids = Ids([0, 4, 7, 2, 9], [0, 3, 3, 1, 2]);
        var embeddings = model.Embed(ids);                       // [2, 5, 16], a graph node
        var logits = model.ForwardEmbeddings(embeddings);         // [2, 5, 11]
        var logp = nn.functional.log_softmax(logits, -1).gather(-1, ids.unsqueeze(-1)).sum();
        // WDPO-style penalty: the squared norm of d logp / d embeddings, differentiated again
        var gradient = torch.autograd.grad([logp], [embeddings], retain_graph: true, create_graph: true)[0];
        // (TorchSharp, unlike PyTorch, does not default retain_graph to create_graph: pass both.)
        var penalty = gradient.pow(2).sum();
        penalty.backward();
        double total = 0;
        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.NotNull(parameter.grad);
            Assert.True(parameter.grad!.isfinite().all().item<bool>(), $"gradient of {name} is not finite");
            total += parameter.grad.abs().sum().item<float>();
        }
        Assert.True(total > 0);
    }

    [Fact]
    public void DeepCopy_has_equal_weights_and_is_independent_of_the_original()
    {
        using var original = new TinyCausalTransformer(Config, seed: 2);
        using var copy = original.DeepCopy();
        using var _ = no_grad();
        using var ids = Ids([0, 5, 6, 7]);
        using var before = original.Forward(ids);
        using (var copied = copy.Forward(ids)) Assert.True(before.allclose(copied, rtol: 0, atol: 0));
        foreach (var parameter in copy.parameters()) parameter.add_(0.5);
        using var after = original.Forward(ids);
        using var changed = copy.Forward(ids);
        Assert.True(before.allclose(after, rtol: 0, atol: 0));
        Assert.False(before.allclose(changed));
    }
}
