namespace RiskAlign.Framework.Models;

/// <summary>
/// A decoder-only language model as the trainer needs it: token embedding split from the rest of the forward
/// pass, so gradient penalties (WDPO) can differentiate with respect to the input embeddings, and a deep copy,
/// so the policy can start from the frozen reference.
/// </summary>
public abstract class CausalLanguageModel : nn.Module
{
    protected CausalLanguageModel(string name) : base(name) { }

    /// <summary>V.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>Longest sequence the model accepts (positions).</summary>
    public abstract int MaxSequenceLength { get; }

    /// <summary>Token embeddings <c>[N, T] → [N, T, H]</c>.</summary>
    public abstract Tensor Embed(Tensor inputIds);

    /// <summary>Logits from input embeddings <c>[N, T, H] → [N, T, V]</c>, causal: position t sees positions ≤ t.
    /// Supports double backward unless <see cref="ForwardMath.FusedAttention"/> is on (set per trial from the plugins' needs).</summary>
    public abstract Tensor ForwardEmbeddings(Tensor embeddings);

    /// <summary>Logits <c>[N, T] → [N, T, V]</c>.</summary>
    public Tensor Forward(Tensor inputIds) => ForwardEmbeddings(Embed(inputIds));

    /// <summary>An independent copy with the same weights (on the same device).</summary>
    public abstract CausalLanguageModel DeepCopy();

    /// <summary>Eval mode, no parameter requiring gradients: how a frozen reference (or a finished SFT) is held. Returns
    /// this model.</summary>
    public CausalLanguageModel Freeze()
    {
        eval();
        foreach (var parameter in parameters()) parameter.requires_grad = false;
        return this;
    }

    /// <summary>Train mode, every parameter requiring gradients: a policy about to be trained. Returns this model.</summary>
    public CausalLanguageModel Unfreeze()
    {
        foreach (var parameter in parameters()) parameter.requires_grad = true;
        train();
        return this;
    }

    /// <summary>Eval mode until the returned scope is disposed, then the mode the model had (evaluation and sampling
    /// in the middle of training).</summary>
    public EvalModeScope InEvalMode()
    {
        bool wasTraining = training;
        eval();
        return new EvalModeScope(this, wasTraining);
    }

    /// <summary>Puts a model back into train mode on dispose if it was training when <see cref="InEvalMode"/> began.</summary>
    public readonly struct EvalModeScope(CausalLanguageModel model, bool wasTraining) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose()
        {
            if (wasTraining) model.train();
        }
    }

    /// <summary>Copies every parameter from <paramref name="weights"/> (keyed by this model's parameter names); a missing
    /// tensor or a shape mismatch is an <see cref="InvalidDataException"/> naming the tensor, the shapes and
    /// <paramref name="source"/>.</summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> weights, string source)
    {
        using var _ = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (!weights.TryGetValue(name, out var value))
                throw new InvalidDataException($"{source}: missing tensor '{name}' (expected shape [{string.Join(", ", parameter.shape)}]).");
            if (!value.shape.SequenceEqual(parameter.shape))
                throw new InvalidDataException(
                    $"{source}: tensor '{name}' has shape [{string.Join(", ", value.shape)}], expected [{string.Join(", ", parameter.shape)}].");
            parameter.copy_(value);
        }
    }

    /// <summary>The rest of a <see cref="DeepCopy"/>: this model's weights and train/eval mode into
    /// <paramref name="copy"/>, a fresh model of the same shape on the same device.</summary>
    protected TModel CopyInto<TModel>(TModel copy) where TModel : CausalLanguageModel
    {
        copy.LoadWeights(named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter), "DeepCopy");
        if (!training) copy.eval();
        return copy;
    }

    /// <summary>The end of a pretrained decoder's constructor: its parameters leave whatever dispose scope the caller is
    /// in (a lazily loaded model, a loader called inside a scope, outlive it), and move to <paramref name="device"/>.</summary>
    protected void KeepParametersOn(Device? device)
    {
        foreach (var parameter in parameters()) parameter.DetachFromDisposeScope();
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }
}
