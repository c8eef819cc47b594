using TorchSharp.Modules;

namespace RiskAlign.Framework.Models.GptNeoX;

/// <summary>Shape of a GPT-NeoX (Pythia) model (Hugging Face config.json names in comments).</summary>
public sealed record GptNeoXConfig(
    int Dim,                        // hidden_size
    int Layers,                     // num_hidden_layers
    int Heads,                      // num_attention_heads
    int InnerDim,                   // intermediate_size
    int VocabularySize,             // vocab_size
    int MaxSequenceLength,          // max_position_embeddings
    double RotaryPct = 0.25,        // rotary_pct
    double RotaryBase = 10000.0,    // rotary_emb_base
    bool ParallelResidual = true,   // use_parallel_residual
    double NormEps = 1e-5,          // layer_norm_eps
    RopeScaling? RopeScaling = null) // rope_scaling / rope_parameters (linear)
    : IDecoderShape
{
    /// <summary>Dimensions per head.</summary>
    public int HeadDim => Dim / Heads;

    /// <summary>Leading dimensions of each head that RoPE rotates (HF: int(head_dim · rotary_pct)).</summary>
    public int RotaryDims => (int)(HeadDim * RotaryPct);

    /// <summary>Throws a clear error when the shape is inconsistent.</summary>
    public void Validate()
    {
        if (Dim <= 0 || Layers <= 0 || Heads <= 0 || InnerDim <= 0 || VocabularySize <= 0 || MaxSequenceLength <= 0)
            throw new ArgumentException($"GPT-NeoX config has a non-positive size: {this}.");
        if (Dim % Heads != 0) throw new ArgumentException($"GPT-NeoX config: hidden_size {Dim} is not divisible by num_attention_heads {Heads}.");
        if (RotaryDims % 2 != 0 || RotaryPct is < 0 or > 1) throw new ArgumentException($"GPT-NeoX config: rotary dims {RotaryDims} (rotary_pct {RotaryPct}) must be even and within the head.");
    }
}

/// <summary>
/// GPT-NeoX (Black et al. 2022; the Pythia suite), as Hugging Face's GPTNeoXForCausalLM computes it: token embedding,
/// blocks with LayerNorm, fused per-head q/k/v projection, rotary embedding on the first <c>rotary_pct</c> of each head
/// (half-split "rotate_half" pairing), exact-erf GELU MLP, parallel residual <c>x + attn(ln1 x) + mlp(ln2 x)</c> (or
/// sequential), final LayerNorm and an untied classifier <c>embed_out</c>. Parameter names follow HF's without the
/// <c>gpt_neox.</c> prefix. Explicit matmul + masked softmax attention, so double backward works.
/// </summary>
public sealed class GptNeoXModel : ConfiguredDecoderModel<GptNeoXConfig>
{
    private readonly Embedding embed_in;
    private readonly ModuleList<NeoXLayer> layers;
    private readonly LayerNorm final_layer_norm;
    private readonly Linear embed_out;

    /// <summary>A model with default-initialised weights (load real ones with <see cref="LoadWeights"/>).</summary>
    public GptNeoXModel(GptNeoXConfig config, Device? device = null) : base(nameof(GptNeoXModel), config)
    {
        config.Validate();
        embed_in = nn.Embedding(config.VocabularySize, config.Dim);
        layers = new ModuleList<NeoXLayer>(Enumerable.Range(0, config.Layers).Select(i => new NeoXLayer(i.ToString(), config)).ToArray());
        final_layer_norm = nn.LayerNorm(config.Dim, config.NormEps);
        embed_out = nn.Linear(config.Dim, config.VocabularySize, hasBias: false);
        RegisterComponents();
        KeepParametersOn(device);
    }

    /// <inheritdoc />
    protected override Embedding TokenEmbedding => embed_in;

    /// <inheritdoc />
    protected override string ArchitectureName => "GPT-NeoX";

    /// <inheritdoc />
    protected override Tensor Decode(Tensor embeddings, int start, LayerKvCache? cache, bool lastOnly)
    {
        using var scope = NewDisposeScope();
        long t = embeddings.shape[1];
        // angles [T, r/2] = position · inv_freq, inv_freq = base^(-2j/r) (rescaled), r = rotary dims
        int r = Config.RotaryDims;
        var inverse = tensor(RotaryFrequencies.Inverse(Config.RotaryBase, r, Config.RopeScaling), new long[] { r / 2 }, device: embeddings.device);
        using Scalar first = start.ToScalar(), end = (start + t).ToScalar(); // held across their calls (see HeldScalars)
        var angles = arange(first, end, dtype: ScalarType.Float32, device: embeddings.device).unsqueeze(1) * inverse.unsqueeze(0);
        Tensor cos = angles.cos(), sin = angles.sin();
        var x = embeddings; // [N, T, D]
        for (int i = 0; i < layers.Count; i++) x = layers[i].Forward(x, cos, sin, start, cache, i);
        if (lastOnly) x = x.narrow(1, t - 1, 1); // [N, 1, D]: only the next token's logits are wanted
        var logits = embed_out.Mixed(final_layer_norm.forward(x)); // [N, T, V]
        return logits.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public override CausalLanguageModel DeepCopy() => CopyInto(new GptNeoXModel(Config, Device));

    private sealed class NeoXLayer : nn.Module
    {
        private readonly LayerNorm input_layernorm, post_attention_layernorm;
        private readonly NeoXAttention attention;
        private readonly NeoXMlp mlp;
        private readonly bool parallel;

        public NeoXLayer(string name, GptNeoXConfig config) : base(name)
        {
            parallel = config.ParallelResidual;
            input_layernorm = nn.LayerNorm(config.Dim, config.NormEps);
            post_attention_layernorm = nn.LayerNorm(config.Dim, config.NormEps);
            attention = new NeoXAttention("attention", config);
            mlp = new NeoXMlp("mlp", config);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor cos, Tensor sin, int start, LayerKvCache? cache, int layer)
        {
            var attended = attention.Forward(input_layernorm.forward(x), cos, sin, start, cache, layer);
            if (parallel) return x + attended + mlp.forward(post_attention_layernorm.forward(x));
            x = x + attended;
            return x + mlp.forward(post_attention_layernorm.forward(x));
        }
    }

    private sealed class NeoXAttention : nn.Module
    {
        private readonly Linear query_key_value, dense;
        private readonly GptNeoXConfig config;

        public NeoXAttention(string name, GptNeoXConfig config) : base(name)
        {
            this.config = config;
            query_key_value = nn.Linear(config.Dim, 3 * config.Dim);
            dense = nn.Linear(config.Dim, config.Dim);
            RegisterComponents();
        }

        public Tensor Forward(Tensor x, Tensor cos, Tensor sin, int start, LayerKvCache? cache, int layer)
        {
            long n = x.shape[0], t = x.shape[1];
            int h = config.Heads, hd = config.HeadDim;
            // HF's fused layout: per head [q | k | v], so view as [N, T, H, 3·hd] and split the last dim; → [N, H, T, hd]
            var qkv = query_key_value.Mixed(x).view(n, t, h, 3 * hd).permute(0, 2, 1, 3);
            var q = Rope(qkv.narrow(-1, 0, hd), cos, sin);
            var k = Rope(qkv.narrow(-1, hd, hd), cos, sin);
            var v = qkv.narrow(-1, 2 * hd, hd);
            if (cache is not null) (k, v) = cache.Append(layer, k, v); // all positions so far, from the preallocated cache
            long tk = k.shape[2];
            var allowed = ones(t, tk, dtype: ScalarType.Bool, device: x.device).tril(start);
            return dense.Mixed(ForwardMath.Attend(q, k, v, allowed).transpose(1, 2).reshape(n, t, h * hd));
        }

        // rotate_half on the first r dims of each head: (x_j, x_{j+r/2}) rotate together; the rest pass through
        private Tensor Rope(Tensor x, Tensor cos, Tensor sin)
        {
            int r = config.RotaryDims, hd = config.HeadDim;
            if (r == 0) return x.contiguous();
            var x0 = x.narrow(-1, 0, r / 2);
            var x1 = x.narrow(-1, r / 2, r / 2);
            var rotated = cat(new[] { x0 * cos - x1 * sin, x0 * sin + x1 * cos }, -1);
            return r == hd ? rotated : cat(new[] { rotated, x.narrow(-1, r, hd - r) }, -1);
        }
    }

    private sealed class NeoXMlp : nn.Module
    {
        private readonly Linear dense_h_to_4h, dense_4h_to_h;

        public NeoXMlp(string name, GptNeoXConfig config) : base(name)
        {
            dense_h_to_4h = nn.Linear(config.Dim, config.InnerDim);
            dense_4h_to_h = nn.Linear(config.InnerDim, config.Dim);
            RegisterComponents();
        }

        public Tensor forward(Tensor x) => dense_4h_to_h.Mixed(nn.functional.gelu(dense_h_to_4h.Mixed(x)));
    }

}
