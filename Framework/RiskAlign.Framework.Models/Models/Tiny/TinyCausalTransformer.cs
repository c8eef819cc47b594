using TorchSharp.Modules;

namespace RiskAlign.Framework.Models.Tiny;

/// <summary>
/// A GPT-style decoder small enough to train on a CPU in seconds: token and learned position embeddings,
/// pre-LayerNorm blocks of causal multi-head self-attention and a GELU MLP, a final LayerNorm and an LM head.
/// Attention is written out (matmul, masked softmax, matmul) rather than fused, so double backward works
/// (WDPO differentiates the loss with respect to the input embeddings with <c>create_graph</c>).
/// A key/value cache (<see cref="IKvCacheModel"/>) lets sampling feed one token a step; the uncached forward, the one
/// training differentiates, is the same code from position 0 with no cache.
/// Weights are initialised deterministically from a seed (GPT-2 scheme: N(0, 0.02), residual projections
/// scaled by 1/√(2·layers), biases 0, LayerNorm gains 1).
/// </summary>
public sealed class TinyCausalTransformer : ConfiguredDecoderModel<TinyTransformerConfig>
{
    private readonly Embedding tok_emb;
    private readonly Parameter pos_emb;
    private readonly ModuleList<TransformerBlock> blocks;
    private readonly LayerNorm ln_f;
    private readonly Linear lm_head;

    /// <summary>A model with weights drawn from <paramref name="seed"/>, on <paramref name="device"/> (CPU when null).</summary>
    public TinyCausalTransformer(TinyTransformerConfig config, int seed, Device? device = null) : base(nameof(TinyCausalTransformer), config)
    {
        config.Validate();
        int h = config.ModelDim;
        tok_emb = nn.Embedding(config.VocabularySize, h);
        pos_emb = new Parameter(zeros(config.MaxSequenceLength, h));
        blocks = new ModuleList<TransformerBlock>(
            Enumerable.Range(0, config.Layers).Select(i => new TransformerBlock($"block{i}", h, config.Heads, config.MlpRatio)).ToArray());
        ln_f = nn.LayerNorm(h);
        lm_head = nn.Linear(h, config.VocabularySize);
        RegisterComponents();
        Initialise(seed);
        if (device is not null && device.type != DeviceType.CPU) this.to(device);
    }

    /// <inheritdoc />
    public override Tensor Embed(Tensor inputIds)
    {
        if (inputIds.shape[^1] > Config.MaxSequenceLength)
            throw new ArgumentException($"Sequence of {inputIds.shape[^1]} tokens is longer than the model's {Config.MaxSequenceLength} positions.");
        return tok_emb.forward(inputIds);
    }

    /// <inheritdoc />
    protected override Embedding TokenEmbedding => tok_emb;

    /// <inheritdoc />
    protected override string ArchitectureName => "tiny transformer";

    /// <inheritdoc />
    protected override Tensor Decode(Tensor embeddings, int start, LayerKvCache? cache, bool lastOnly)
    {
        using var scope = NewDisposeScope();
        long t = embeddings.shape[1];
        // x [N, T, H] = token embeddings + positions start..start+T-1 [T, H] (broadcast over N)
        var x = embeddings + pos_emb.narrow(0, start, t);
        for (int i = 0; i < blocks.Count; i++) x = blocks[i].Forward(x, start, cache, i);
        if (lastOnly) x = x.narrow(1, t - 1, 1); // [N, 1, D]: only the next token's logits are wanted
        var logits = lm_head.Mixed(ln_f.forward(x)); // [N, T, V]
        return logits.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override CausalLanguageModel DeepCopy() => CopyInto(new TinyCausalTransformer(Config, seed: 0, Device));

    private void Initialise(int seed)
    {
        var random = new Random(seed);
        double residualStd = 0.02 / Math.Sqrt(2.0 * Config.Layers);
        using var _ = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.StartsWith("ln", StringComparison.Ordinal) || name.Contains(".ln", StringComparison.Ordinal))
                parameter.fill_(name.EndsWith("weight", StringComparison.Ordinal) ? 1.0 : 0.0);
            else if (name.EndsWith("bias", StringComparison.Ordinal))
                parameter.zero_();
            else
            {
                double std = name.EndsWith("proj.weight", StringComparison.Ordinal) || name.EndsWith("fc2.weight", StringComparison.Ordinal)
                    ? residualStd : 0.02;
                var values = new float[parameter.numel()];
                for (int i = 0; i < values.Length; i++) values[i] = (float)(std * Gaussian(random));
                using var source = tensor(values, parameter.shape);
                parameter.copy_(source);
            }
        }
    }

    private static double Gaussian(Random random)
    {
        // Box–Muller; 1 - NextDouble() is in (0, 1], so the log is finite.
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Pre-LayerNorm block: x + attn(ln1(x)), then x + mlp(ln2(x)).</summary>
    private sealed class TransformerBlock : nn.Module
    {
        private readonly LayerNorm ln1, ln2;
        private readonly Linear qkv, proj, fc1, fc2;
        private readonly int heads;

        public TransformerBlock(string name, int h, int heads, int mlpRatio) : base(name)
        {
            this.heads = heads;
            ln1 = nn.LayerNorm(h);
            qkv = nn.Linear(h, 3 * h);
            proj = nn.Linear(h, h);
            ln2 = nn.LayerNorm(h);
            fc1 = nn.Linear(h, mlpRatio * h);
            fc2 = nn.Linear(mlpRatio * h, h);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, int start, LayerKvCache? cache, int layer)
        {
            long n = x.shape[0], t = x.shape[1], h = x.shape[2], hd = h / heads;
            // q, k, v [N, heads, T, hd]
            var qkvOut = qkv.Mixed(ln1.forward(x)).view(n, t, 3, heads, hd).permute(2, 0, 3, 1, 4);
            var q = qkvOut[0];
            var k = qkvOut[1];
            var v = qkvOut[2];
            if (cache is not null) (k, v) = cache.Append(layer, k, v); // all positions so far, from the preallocated cache
            long tk = k.shape[2];
            // the query at absolute position start+i sees keys j ≤ start+i (causal when start = 0) [T, Tk]
            var allowed = ones(t, tk, dtype: ScalarType.Bool, device: x.device).tril(start);
            // [N, heads, T, hd] → [N, T, H]
            var attended = ForwardMath.Attend(q, k, v, allowed).transpose(1, 2).reshape(n, t, h);
            x = x + proj.Mixed(attended);
            x = x + fc2.Mixed(nn.functional.gelu(fc1.Mixed(ln2.forward(x))));
            return x;
        }
    }
}
