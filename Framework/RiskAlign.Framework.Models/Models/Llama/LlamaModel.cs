using TorchSharp.Modules;

namespace RiskAlign.Framework.Models.Llama;

/// <summary>
/// Llama decoder (as llama2.c's run.c computes it): token embedding, per layer
/// x += Wo·attn(RoPE(Wq·rms(x)), RoPE(Wk·rms(x)), Wv·rms(x)) with grouped-query attention, then
/// x += W2·(silu(W1·rms(x)) ⊙ W3·rms(x)); final RMSNorm; classifier tied to the embedding or separate.
/// Attention is explicit matmul + masked softmax (double backward works). Parameter names follow Meta/llama2.c:
/// <c>tok_embeddings.weight</c>, <c>layers.{i}.attention_norm.weight</c>, <c>layers.{i}.attention.wq.weight</c> …,
/// <c>norm.weight</c>, <c>output.weight</c> (untied only).
/// </summary>
public sealed class LlamaModel : ConfiguredDecoderModel<LlamaConfig>
{
    private readonly Embedding tok_embeddings;
    private readonly ModuleList<LlamaBlock> layers;
    private readonly RmsNorm norm;
    private readonly Linear? output;

    /// <summary>A model with zero-initialised weights (load them with <see cref="LoadWeights"/>).</summary>
    public LlamaModel(LlamaConfig config, Device? device = null) : base(nameof(LlamaModel), config)
    {
        config.Validate();
        tok_embeddings = nn.Embedding(config.VocabularySize, config.Dim);
        layers = new ModuleList<LlamaBlock>(Enumerable.Range(0, config.Layers).Select(i => new LlamaBlock(i.ToString(), config)).ToArray());
        norm = new RmsNorm("norm", config.Dim, config.NormEps);
        if (!config.TiedEmbeddings) output = nn.Linear(config.Dim, config.VocabularySize, hasBias: false);
        RegisterComponents();
        KeepParametersOn(device);
    }

    /// <inheritdoc />
    protected override Embedding TokenEmbedding => tok_embeddings;

    /// <inheritdoc />
    protected override string ArchitectureName => "Llama";

    /// <inheritdoc />
    protected override Tensor Decode(Tensor embeddings, int start, LayerKvCache? cache, bool lastOnly)
    {
        using var scope = NewDisposeScope();
        long t = embeddings.shape[1];
        var (cos, sin) = Rotary(start, t, embeddings.device); // [T, hd/2] each
        var x = embeddings; // [N, T, D]
        for (int i = 0; i < layers.Count; i++) x = layers[i].Forward(x, cos, sin, start, cache, i);
        if (lastOnly) x = x.narrow(1, t - 1, 1); // [N, 1, D]: only the next token's logits are wanted
        x = norm.forward(x);
        // logits [N, T, V]
        var logits = output is null ? ForwardMath.MatMul(x, tok_embeddings.weight!.t()) : output.Mixed(x);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>cos and sin of pos·inv_freq[j] for positions start..start+t, computed in float32 as run.c and
    /// transformers do; inv_freq is θ^(-2j/hd), rescaled by <see cref="LlamaConfig.RopeScaling"/>.</summary>
    private (Tensor cos, Tensor sin) Rotary(int start, long t, Device device)
    {
        int hd = Config.HeadDim;
        var inverse = RotaryFrequencies.Inverse(Config.RopeTheta, hd, Config.RopeScaling);
        var angles = new float[t * (hd / 2)];
        for (int p = 0; p < t; p++)
            for (int j = 0; j < hd / 2; j++)
                angles[p * (hd / 2) + j] = (start + p) * inverse[j];
        var a = tensor(angles, new long[] { t, hd / 2 }, device: device);
        return (a.cos(), a.sin());
    }

    /// <inheritdoc />
    public override CausalLanguageModel DeepCopy() => CopyInto(new LlamaModel(Config, Device));

    private sealed class RmsNorm : nn.Module
    {
        private static readonly Scalar Two = 2.0.ToScalar();
        private readonly Parameter weight;
        private readonly Scalar eps; // held, not converted per call: see HeldScalars

        public RmsNorm(string name, int dim, double eps) : base(name)
        {
            weight = new Parameter(ones(dim));
            this.eps = eps.ToScalar();
            RegisterComponents();
        }

        // x / sqrt(mean(x²) + eps) · w, over the last dimension
        public Tensor forward(Tensor x) => x * (x.pow(Two).mean(new long[] { -1 }, keepdim: true) + eps).rsqrt() * weight;
    }

    private sealed class LlamaAttention : nn.Module
    {
        private readonly Linear wq, wk, wv, wo;
        private readonly LlamaConfig config;

        public LlamaAttention(string name, LlamaConfig config) : base(name)
        {
            this.config = config;
            int kvDim = config.KvHeads * config.HeadDim;
            wq = nn.Linear(config.Dim, config.Dim, hasBias: config.QkvBias);
            wk = nn.Linear(config.Dim, kvDim, hasBias: config.QkvBias);
            wv = nn.Linear(config.Dim, kvDim, hasBias: config.QkvBias);
            wo = nn.Linear(config.Dim, config.Dim, hasBias: config.OutputBias);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor cos, Tensor sin, int start, LayerKvCache? cache, int layer)
        {
            long n = x.shape[0], t = x.shape[1];
            int h = config.Heads, kvh = config.KvHeads, hd = config.HeadDim;
            // q [N, H, T, hd]; k, v [N, KVH, T, hd]
            var q = Rope(wq.Mixed(x).view(n, t, h, hd).transpose(1, 2), cos, sin);
            var k = Rope(wk.Mixed(x).view(n, t, kvh, hd).transpose(1, 2), cos, sin);
            var v = wv.Mixed(x).view(n, t, kvh, hd).transpose(1, 2);
            if (cache is not null) (k, v) = cache.Append(layer, k, v); // all positions so far, from the preallocated cache
            long tk = k.shape[2];
            if (kvh != h)
            {
                // query head i reads kv head i / (H / KVH), as run.c does
                k = k.repeat_interleave(h / kvh, dim: 1);
                v = v.repeat_interleave(h / kvh, dim: 1);
            }
            // scores [N, H, T, Tk]; query at absolute position start+i sees keys j ≤ start+i
            var allowed = ones(t, tk, dtype: ScalarType.Bool, device: x.device).tril(start);
            // sliding window (Mistral): key j is seen from start+i only when start+i − j < window
            if (config.SlidingWindow is int window) allowed = allowed.logical_and(ones(t, tk, dtype: ScalarType.Bool, device: x.device).triu(start - window + 1));
            // [N, H, T, hd] → [N, T, D]
            return wo.Mixed(ForwardMath.Attend(q, k, v, allowed).transpose(1, 2).reshape(n, t, h * hd));
        }

        private Tensor Rope(Tensor x, Tensor cos, Tensor sin)
        {
            long[] shape = x.shape; // [N, heads, T, hd]
            long half = shape[3] / 2;
            if (config.RopeStyle == RopeStyle.Interleaved)
            {
                // pairs (2j, 2j+1): [N, heads, T, hd/2, 2]
                var pairs = x.view(shape[0], shape[1], shape[2], half, 2);
                var x0 = pairs.select(-1, 0);
                var x1 = pairs.select(-1, 1);
                return stack(new[] { x0 * cos - x1 * sin, x0 * sin + x1 * cos }, -1).view(shape);
            }
            else
            {
                // pairs (j, j + hd/2)
                var x0 = x.narrow(-1, 0, half);
                var x1 = x.narrow(-1, half, half);
                return cat(new[] { x0 * cos - x1 * sin, x0 * sin + x1 * cos }, -1);
            }
        }
    }

    private sealed class LlamaFeedForward : nn.Module
    {
        private readonly Linear w1, w2, w3;

        public LlamaFeedForward(string name, LlamaConfig config) : base(name)
        {
            w1 = nn.Linear(config.Dim, config.HiddenDim, hasBias: false);
            w2 = nn.Linear(config.HiddenDim, config.Dim, hasBias: false);
            w3 = nn.Linear(config.Dim, config.HiddenDim, hasBias: false);
            RegisterComponents();
        }

        // SwiGLU: w2(silu(w1 x) ⊙ w3 x)
        public Tensor forward(Tensor x) => w2.Mixed(nn.functional.silu(w1.Mixed(x)) * w3.Mixed(x));
    }

    private sealed class LlamaBlock : nn.Module
    {
        private readonly RmsNorm attention_norm, ffn_norm;
        private readonly LlamaAttention attention;
        private readonly LlamaFeedForward feed_forward;

        public LlamaBlock(string name, LlamaConfig config) : base(name)
        {
            attention_norm = new RmsNorm("attention_norm", config.Dim, config.NormEps);
            attention = new LlamaAttention("attention", config);
            ffn_norm = new RmsNorm("ffn_norm", config.Dim, config.NormEps);
            feed_forward = new LlamaFeedForward("feed_forward", config);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor cos, Tensor sin, int start, LayerKvCache? cache, int layer)
        {
            x = x + attention.Forward(attention_norm.forward(x), cos, sin, start, cache, layer);
            return x + feed_forward.forward(ffn_norm.forward(x));
        }
    }

}
