namespace RiskAlign.Framework.Models.Lora;

/// <summary>What to adapt and how (PEFT's <c>LoraConfig</c>): rank r, scale α (the update is multiplied by α/r),
/// dropout on the adapters' input while training, and the linear layers to adapt, by name.</summary>
/// <param name="Rank">r ≥ 1.</param>
/// <param name="Alpha">α &gt; 0.</param>
/// <param name="Dropout">In [0, 1).</param>
/// <param name="TargetModules">Names as PEFT matches them: a layer is adapted when its full name (for example
/// <c>layers.0.attention.wq</c>) equals a target or ends with "." + the target; a Llama also answers to the Hugging Face
/// names (<c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>o_proj</c>, <c>gate_proj</c>, <c>down_proj</c>, <c>up_proj</c>,
/// <c>lm_head</c>).</param>
public sealed record LoraSpec(int Rank, double Alpha, double Dropout, IReadOnlyList<string> TargetModules);
