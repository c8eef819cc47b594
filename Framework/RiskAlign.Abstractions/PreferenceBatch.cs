using TorchSharp;
using static TorchSharp.torch;

namespace RiskAlign.Abstractions;

/// <summary>
/// B preference pairs as the policy and the frozen reference see them. Rows <c>0..B-1</c> are the chosen
/// responses, rows <c>B..2B-1</c> the rejected ones (of the same prompts, in the same order). Position t's logits
/// predict <see cref="Labels"/>[:, t]; <see cref="Mask"/> is 1 on response tokens and 0 on prompt and padding.
/// Derived quantities (log-probs, per-token KL, sequential KL and risk) are computed on first use and cached, so
/// every plugin that asks for them shares one computation. Log-probs are computed in float32 at least
/// (half precision is widened; float64 is kept, which gradient checks use).
/// </summary>
public sealed class PreferenceBatch
{
    private Tensor? _policyLogProbs, _referenceLogProbs, _policyTokenLogps, _referenceTokenLogps;
    private Tensor? _tokenKl, _sequenceKl, _sequenceRisk;

    /// <summary>Creates a batch; half-precision logits are widened to float32.</summary>
    /// <param name="policyLogits">Policy logits <c>[2B, T, V]</c>, with grad.</param>
    /// <param name="referenceLogits">Reference logits <c>[2B, T, V]</c>, no grad.</param>
    /// <param name="labels">Token each position predicts <c>[2B, T]</c>, int64; a valid vocabulary id everywhere, also off the mask.</param>
    /// <param name="mask">1 where the label is a response token <c>[2B, T]</c>.</param>
    public PreferenceBatch(Tensor policyLogits, Tensor referenceLogits, Tensor labels, Tensor mask)
    {
        if (policyLogits.dim() != 3 || !policyLogits.shape.SequenceEqual(referenceLogits.shape))
            throw new ArgumentException($"Policy and reference logits must both be [2B, T, V]; got [{string.Join(", ", policyLogits.shape)}] and [{string.Join(", ", referenceLogits.shape)}].");
        if (policyLogits.shape[0] % 2 != 0)
            throw new ArgumentException($"The first dimension holds chosen then rejected rows and must be even; got {policyLogits.shape[0]}.");
        if (!labels.shape.SequenceEqual(policyLogits.shape[..2]) || !mask.shape.SequenceEqual(labels.shape))
            throw new ArgumentException("Labels and mask must be [2B, T] to match the logits.");
        var dtype = policyLogits.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        PolicyLogits = policyLogits.to_type(dtype);
        ReferenceLogits = referenceLogits.to_type(dtype).detach();
        Labels = labels.to_type(ScalarType.Int64);
        Mask = mask.to_type(dtype);
        PairCount = (int)(policyLogits.shape[0] / 2);
    }

    /// <summary>B, the number of pairs.</summary>
    public int PairCount { get; }

    /// <summary>Policy logits <c>[2B, T, V]</c>, with grad.</summary>
    public Tensor PolicyLogits { get; }

    /// <summary>Reference logits <c>[2B, T, V]</c>, detached.</summary>
    public Tensor ReferenceLogits { get; }

    /// <summary>Labels <c>[2B, T]</c>.</summary>
    public Tensor Labels { get; }

    /// <summary>Response mask <c>[2B, T]</c>.</summary>
    public Tensor Mask { get; }

    /// <summary>The policy's input embeddings <c>[2B, T_in, H]</c>, a node of the graph that produced
    /// <see cref="PolicyLogits"/>; set when a plugin declares <see cref="BatchRequirements.InputEmbeddings"/>.</summary>
    public Tensor? InputEmbeddings { get; init; }

    /// <summary>The risk measure of this trial; set when a plugin declares <see cref="BatchRequirements.RiskMeasure"/>.</summary>
    public BoundRiskMeasure? RiskMeasure { get; init; }

    /// <summary>True in a training step (penalties then build graphs for double backward), false in evaluation.</summary>
    public bool IsTraining { get; init; } = true;

    /// <summary><c>log π_θ(·|x, y&lt;t)</c> <c>[2B, T, V]</c>.</summary>
    public Tensor PolicyLogProbs => _policyLogProbs ??= torch.nn.functional.log_softmax(PolicyLogits, -1);

    /// <summary><c>log π_ref(·|x, y&lt;t)</c> <c>[2B, T, V]</c>.</summary>
    public Tensor ReferenceLogProbs => _referenceLogProbs ??= torch.nn.functional.log_softmax(ReferenceLogits, -1);

    /// <summary>Policy log-prob of each label, zero off the mask <c>[2B, T]</c>.</summary>
    public Tensor PolicyTokenLogps => _policyTokenLogps ??= Gather(PolicyLogProbs);

    /// <summary>Reference log-prob of each label, zero off the mask <c>[2B, T]</c>.</summary>
    public Tensor ReferenceTokenLogps => _referenceTokenLogps ??= Gather(ReferenceLogProbs);

    /// <summary>Policy log-likelihood of each response <c>[2B]</c> (TRL's <c>logps/*</c>).</summary>
    public Tensor PolicySequenceLogps => PolicyTokenLogps.sum(1);

    /// <summary>Reference log-likelihood of each response <c>[2B]</c>.</summary>
    public Tensor ReferenceSequenceLogps => ReferenceTokenLogps.sum(1);

    /// <summary><c>M = Σ_t log π_θ(y_t) - log π_ref(y_t)</c> over response tokens <c>[2B]</c>.</summary>
    public Tensor SequenceLogRatio => PolicySequenceLogps - ReferenceSequenceLogps;

    /// <summary>Per-token <c>KL(π_ref(·|x,y&lt;t) ‖ π_θ(·|x,y&lt;t))</c> over the whole vocabulary, zero off the mask <c>[2B, T]</c>.</summary>
    public Tensor TokenKl => _tokenKl ??=
        (ReferenceLogProbs.exp() * (ReferenceLogProbs - PolicyLogProbs)).sum(-1) * Mask;

    /// <summary>Sequential KL <c>K = Σ_t TokenKl</c> <c>[2B]</c>.</summary>
    public Tensor SequenceKl => _sequenceKl ??= TokenKl.sum(1);

    /// <summary>Sequential risk ratio <c>R = Σ_t risk_t</c> under <see cref="RiskMeasure"/> <c>[2B]</c>.</summary>
    public Tensor SequenceRisk => _sequenceRisk ??=
        ((RiskMeasure ?? throw new InvalidOperationException("Invariant broken: a loss read SequenceRisk from a batch without a risk measure (the plugin should declare BatchRequirements.RiskMeasure)."))
            .PerPosition(ReferenceLogProbs, PolicyLogProbs) * Mask).sum(1);

    /// <summary>The chosen half (rows <c>0..B-1</c>) of a per-row tensor.</summary>
    public Tensor Chosen(Tensor perRow) => perRow.narrow(0, 0, PairCount);

    /// <summary>The rejected half (rows <c>B..2B-1</c>) of a per-row tensor.</summary>
    public Tensor Rejected(Tensor perRow) => perRow.narrow(0, PairCount, PairCount);

    private Tensor Gather(Tensor logProbs) => logProbs.gather(-1, Labels.unsqueeze(-1)).squeeze(-1) * Mask;
}
