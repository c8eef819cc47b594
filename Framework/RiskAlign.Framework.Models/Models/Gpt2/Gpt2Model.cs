using TorchSharp.Modules;

namespace RiskAlign.Framework.Models.Gpt2;

/// <summary>Shape of a GPT-2 model (Hugging Face config.json names in comments).</summary>
public sealed record Gpt2Config(
    int Dim,                 // n_embd
    int Layers,              // n_layer
    int Heads,               // n_head
    int VocabularySize,      // vocab_size
    int MaxSequenceLength,   // n_positions
    int InnerDim,            // n_inner ?? 4·n_embd
    double NormEps = 1e-5)   // layer_norm_epsilon
    : IDecoderShape
{
    /// <summary>Throws a clear error when the shape is inconsistent.</summary>
    public void Validate()
    {
        if (Dim <= 0 || Layers <= 0 || Heads <= 0 || VocabularySize <= 0 || MaxSequenceLength <= 0 || InnerDim <= 0)
            throw new ArgumentException($"GPT-2 config has a non-positive size: {this}.");
        if (Dim % Heads != 0) throw new ArgumentException($"GPT-2 config: n_embd {Dim} is not divisible by n_head {Heads}.");
    }
}

/// <summary>
/// GPT-2 (Radford et al. 2019, as Hugging Face's GPT2LMHeadModel computes it): token + learned position embeddings,
/// pre-LayerNorm blocks of causal multi-head attention and a tanh-GELU ("gelu_new") MLP, final LayerNorm, classifier
/// tied to the token embedding. Attention is explicit matmul + masked softmax, so double backward works.
/// Parameter names: <c>wte.weight</c>, <c>wpe.weight</c>, <c>h.{i}.ln_1</c>, <c>h.{i}.c_attn</c>, <c>h.{i}.c_proj</c>,
/// <c>h.{i}.ln_2</c>, <c>h.{i}.c_fc</c>, <c>h.{i}.mlp_proj</c>, <c>ln_f</c>; linear weights are [out, in] (HF's Conv1D
/// stores [in, out]; the loader transposes).
/// </summary>
public sealed class Gpt2Model : ConfiguredDecoderModel<Gpt2Config>
{
    private readonly Embedding wte, wpe;
    private readonly ModuleList<Gpt2Block> h;
    private readonly LayerNorm ln_f;

    /// <summary>A model with default-initialised weights (load real ones with <see cref="LoadWeights"/>).</summary>
    public Gpt2Model(Gpt2Config config, Device? device = null) : base(nameof(Gpt2Model), config)
    {
        config.Validate();
        wte = nn.Embedding(config.VocabularySize, config.Dim);
        wpe = nn.Embedding(config.MaxSequenceLength, config.Dim);
        h = new ModuleList<Gpt2Block>(Enumerable.Range(0, config.Layers).Select(i => new Gpt2Block(i.ToString(), config)).ToArray());
        ln_f = nn.LayerNorm(config.Dim, config.NormEps);
        RegisterComponents();
        KeepParametersOn(device);
    }

    /// <inheritdoc />
    protected override Embedding TokenEmbedding => wte;

    /// <inheritdoc />
    protected override string ArchitectureName => "GPT-2";

    /// <inheritdoc />
    protected override Tensor Decode(Tensor embeddings, int start, LayerKvCache? cache, bool lastOnly)
    {
        using var scope = NewDisposeScope();
        long t = embeddings.shape[1];
        // x [N, T, D] = tokens + positions start..start+T-1 (broadcast over N)
        using Scalar first = start.ToScalar(), end = (start + t).ToScalar(); // held across the call (see HeldScalars)
        var x = embeddings + wpe.forward(arange(first, end, dtype: ScalarType.Int64, device: embeddings.device));
        for (int i = 0; i < h.Count; i++) x = h[i].Forward(x, start, cache, i);
        if (lastOnly) x = x.narrow(1, t - 1, 1); // [N, 1, D]: only the next token's logits are wanted
        var logits = ForwardMath.MatMul(ln_f.forward(x), wte.weight!.t()); // [N, T, V]
        return logits.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override CausalLanguageModel DeepCopy() => CopyInto(new Gpt2Model(Config, Device));

    /// <summary>GELU, tanh approximation (GPT-2's "gelu_new"): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as
    /// libtorch's fused kernel (one pass and one saved tensor instead of eight elementwise ops; equal to the
    /// written-out formula to float rounding).</summary>
    internal static Tensor GeluNew(Tensor x) => nn.functional.gelu(x, GELU.Approximate.tanh);

    private sealed class Gpt2Block : nn.Module
    {
        private readonly LayerNorm ln_1, ln_2;
        private readonly Linear c_attn, c_proj, c_fc, mlp_proj;
        private readonly int heads;

        public Gpt2Block(string name, Gpt2Config config) : base(name)
        {
            heads = config.Heads;
            ln_1 = nn.LayerNorm(config.Dim, config.NormEps);
            c_attn = nn.Linear(config.Dim, 3 * config.Dim);
            c_proj = nn.Linear(config.Dim, config.Dim);
            ln_2 = nn.LayerNorm(config.Dim, config.NormEps);
            c_fc = nn.Linear(config.Dim, config.InnerDim);
            mlp_proj = nn.Linear(config.InnerDim, config.Dim);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, int start, LayerKvCache? cache, int layer)
        {
            long n = x.shape[0], t = x.shape[1], d = x.shape[2], hd = d / heads;
            // q, k, v [N, heads, T, hd]
            var qkv = c_attn.Mixed(ln_1.forward(x)).view(n, t, 3, heads, hd).permute(2, 0, 3, 1, 4);
            Tensor q = qkv[0], k = qkv[1], v = qkv[2];
            if (cache is not null) (k, v) = cache.Append(layer, k, v); // all positions so far, from the preallocated cache
            long tk = k.shape[2];
            // scores [N, heads, T, Tk]; the query at absolute position start+i sees keys j ≤ start+i
            var allowed = ones(t, tk, dtype: ScalarType.Bool, device: x.device).tril(start);
            var attended = ForwardMath.Attend(q, k, v, allowed); // [N, heads, T, hd]
            x = x + c_proj.Mixed(attended.transpose(1, 2).reshape(n, t, d));
            return x + mlp_proj.Mixed(GeluNew(c_fc.Mixed(ln_2.forward(x))));
        }
    }

}
