using TorchSharp.Modules;
using RiskAlign.Framework.Models.Llama;

namespace RiskAlign.Framework.Models.Lora;

/// <summary>
/// A policy that is a frozen base model plus low-rank adapters on some of its linear layers (LoRA, as PEFT). The base
/// is not copied: the task's frozen reference is the base, and the reference's own forwards (no adapters active) are
/// the "adapters off" model, as TRL does with a PEFT policy. Only the adapters are this module's parameters, so an
/// optimizer over <see cref="nn.Module.parameters"/> trains them alone and keeps state for them alone.
/// The adapters act through <see cref="ForwardMath.Mixed"/>: while this model forwards, its adapters are active on the
/// current (async) flow (<see cref="LinearAdapters"/>), so other trials forwarding the same base at the same time see none.
/// </summary>
public class LoraModel : CausalLanguageModel
{
    /// <summary>Hugging Face names of a Llama's linear layers → the names RiskAlign's Llama gives them.</summary>
    private static readonly IReadOnlyDictionary<string, string> LlamaAliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["q_proj"] = "wq", ["k_proj"] = "wk", ["v_proj"] = "wv", ["o_proj"] = "wo",
        ["gate_proj"] = "w1", ["down_proj"] = "w2", ["up_proj"] = "w3", ["lm_head"] = "output",
    };

    private readonly CausalLanguageModel _base; // not registered: its weights are not this module's parameters
    private readonly ModuleList<LoraAdapter> adapters;
    private readonly AdapterTable _adapterTable = new();
    private readonly string[] _targets;

    private protected LoraModel(CausalLanguageModel baseModel, LoraSpec spec, int seed) : base(nameof(LoraModel))
    {
        _base = baseModel;
        Spec = spec;
        var layers = MatchTargets(baseModel, spec.TargetModules);
        _targets = layers.Select(l => l.Name).ToArray();
        var random = new Random(seed);
        var list = new List<LoraAdapter>();
        foreach (var (name, linear) in layers)
        {
            var weight = linear.weight!; // [out, in]
            var adapter = new LoraAdapter(name.Replace('.', '_'), weight.shape[1], weight.shape[0], spec.Rank, spec.Alpha, spec.Dropout, random, weight.device);
            _adapterTable.ByLayer[linear] = adapter;
            list.Add(adapter);
        }
        adapters = new ModuleList<LoraAdapter>(list.ToArray());
        register_module(nameof(adapters), adapters);
    }

    /// <summary>Adapters on <paramref name="baseModel"/>'s linear layers that <paramref name="spec"/> names; A drawn from
    /// <paramref name="seed"/>, B zero, so the new model computes exactly what the base does. The base is shared, not
    /// copied, and should be frozen.</summary>
    /// <exception cref="ArgumentException">A target matches no linear layer (the message lists the layers there are),
    /// or r, α or dropout is out of range.</exception>
    public static LoraModel Wrap(CausalLanguageModel baseModel, LoraSpec spec, int seed)
    {
        CheckRanges(spec);
        return baseModel is IKvCacheModel ? new Cached(baseModel, spec, seed) : new LoraModel(baseModel, spec, seed);
    }

    /// <summary>The rank, scale, dropout and targets.</summary>
    public LoraSpec Spec { get; }

    /// <summary>The frozen model the adapters sit on (shared, never disposed by this model).</summary>
    public CausalLanguageModel BaseModel => _base;

    /// <summary>Full names of the adapted layers in the base (for example <c>layers.0.attention.wq</c>), in adapter order.</summary>
    public IReadOnlyList<string> AdaptedLayers => _targets;

    /// <summary>The adapters, in the order of <see cref="AdaptedLayers"/>.</summary>
    public IReadOnlyList<LoraAdapter> Adapters => [.. adapters];

    /// <summary>The linear layers of <paramref name="model"/> by full name, in module order.</summary>
    public static IReadOnlyList<(string Name, Linear Layer)> LinearLayers(CausalLanguageModel model) =>
        model.named_modules().Where(m => m.module is Linear).Select(m => (m.name, (Linear)m.module)).ToList();

    /// <summary>Checks that every target names a linear layer of <paramref name="model"/>, without building adapters.</summary>
    /// <exception cref="ArgumentException">As <see cref="Wrap"/>.</exception>
    public static void CheckTargets(CausalLanguageModel model, LoraSpec spec)
    {
        CheckRanges(spec);
        MatchTargets(model, spec.TargetModules);
    }

    /// <inheritdoc />
    public override int VocabularySize => _base.VocabularySize;

    /// <inheritdoc />
    public override int MaxSequenceLength => _base.MaxSequenceLength;

    /// <summary>The base's token embeddings <c>[N, T] → [N, T, H]</c>. The embedding table is frozen, so while gradients
    /// are recorded the result is made a leaf that requires grad: a gradient penalty (WDPO) can still differentiate the
    /// loss with respect to it.</summary>
    public override Tensor Embed(Tensor inputIds)
    {
        var embeddings = _base.Embed(inputIds);
        return embeddings.requires_grad || !is_grad_enabled() ? embeddings : embeddings.detach().requires_grad_(true);
    }

    /// <inheritdoc />
    public override Tensor ForwardEmbeddings(Tensor embeddings)
    {
        using var _ = Activate();
        return _base.ForwardEmbeddings(embeddings);
    }

    /// <summary>A model that shares the base and has its own copy of the adapters' weights.</summary>
    public override CausalLanguageModel DeepCopy()
    {
        var copy = Wrap(_base, Spec, seed: 0);
        using (no_grad())
            for (int i = 0; i < adapters.Count; i++)
            {
                copy.adapters[i].A.copy_(adapters[i].A);
                copy.adapters[i].B.copy_(adapters[i].B);
            }
        if (!training) copy.eval();
        return copy;
    }

    /// <summary>A new plain model: a copy of the base with (α/r)·B·A added to each adapted weight (PEFT's
    /// <c>merge_and_unload</c>); it computes what this model computes with dropout off.</summary>
    public CausalLanguageModel Merge()
    {
        var merged = _base.DeepCopy();
        AddUpdatesTo(merged);
        return merged;
    }

    /// <summary>Adds (α/r)·B·A to the base's own weights, as <see cref="Merge"/> does to a copy, and returns the base:
    /// for a base nothing else uses (an adapter read from disk, <see cref="Loading.LoraAdapterReader"/>), so no second copy of
    /// the weights is made. This model then applies its update twice: dispose it.</summary>
    public CausalLanguageModel MergeIntoBase()
    {
        AddUpdatesTo(_base);
        return _base;
    }

    private void AddUpdatesTo(CausalLanguageModel model)
    {
        var layers = LinearLayers(model).ToDictionary(l => l.Name, l => l.Layer, StringComparer.Ordinal);
        using var _ = no_grad();
        for (int i = 0; i < _targets.Length; i++)
        {
            using var delta = adapters[i].DeltaWeight();
            layers[_targets[i]].weight!.add_(delta);
        }
    }

    private protected LinearAdapters.Scope Activate() => LinearAdapters.Use(_adapterTable);

    private static void CheckRanges(LoraSpec spec)
    {
        if (spec.Rank < 1) throw new ArgumentException($"training.lora.r: expected an integer >= 1, got {spec.Rank}.");
        if (!(double.IsFinite(spec.Alpha) && spec.Alpha > 0)) throw new ArgumentException($"training.lora.alpha: expected a number > 0, got {spec.Alpha}.");
        if (!(spec.Dropout is >= 0 and < 1)) throw new ArgumentException($"training.lora.dropout: expected a number in [0, 1), got {spec.Dropout}.");
        if (spec.TargetModules.Count == 0) throw new ArgumentException("training.lora.target_modules: expected at least one module name.");
    }

    private static List<(string Name, Linear Layer)> MatchTargets(CausalLanguageModel model, IReadOnlyList<string> targets)
    {
        var layers = LinearLayers(model);
        bool llama = model is LlamaModel;
        static bool Matches(string name, string target) => name == target || name.EndsWith("." + target, StringComparison.Ordinal);
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var own = llama && LlamaAliases.TryGetValue(target, out var alias) ? alias : target;
            var hits = layers.Where(l => Matches(l.Name, own)).ToList();
            if (hits.Count == 0)
            {
                var leaves = layers.Select(l => l.Name[(l.Name.LastIndexOf('.') + 1)..]).Distinct(StringComparer.Ordinal);
                var known = llama ? leaves.Concat(LlamaAliases.Where(a => leaves.Contains(a.Value)).Select(a => a.Key)) : leaves;
                throw new ArgumentException(
                    $"training.lora.target_modules: '{target}' matches no linear layer of the model ({model.GetType().Name}); " +
                    $"its linear layers are: {string.Join(", ", known)} (full names such as '{layers.FirstOrDefault().Name}').");
            }
            foreach (var hit in hits) chosen.Add(hit.Name);
        }
        return layers.Where(l => chosen.Contains(l.Name)).ToList();
    }

    private sealed class AdapterTable : ILinearAdapters
    {
        public Dictionary<Linear, LoraAdapter> ByLayer { get; } = new(ReferenceEqualityComparer.Instance);

        public Tensor? Delta(Linear layer, Tensor x) => ByLayer.TryGetValue(layer, out var adapter) ? adapter.Delta(x) : null;
    }

    /// <summary>A LoRA model over a base with a key/value cache: generation and sampling feed one token a step with the
    /// adapters active.</summary>
    private sealed class Cached(CausalLanguageModel baseModel, LoraSpec spec, int seed) : LoraModel(baseModel, spec, seed), IKvCacheModel
    {
        public IKvCache CreateCache() => ((IKvCacheModel)BaseModel).CreateCache();

        public Tensor ForwardCached(Tensor inputIds, IKvCache cache, bool lastPositionOnly = false)
        {
            using var _ = Activate();
            return ((IKvCacheModel)BaseModel).ForwardCached(inputIds, cache, lastPositionOnly);
        }
    }
}
