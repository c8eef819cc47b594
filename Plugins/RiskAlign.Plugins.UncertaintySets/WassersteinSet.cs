namespace RiskAlign.Plugins.UncertaintySets;

/// <summary>WDPO (Xu et al., NeurIPS'25): Wasserstein ball approximated by a gradient penalty w.r.t. the input embeddings.</summary>
public sealed class WassersteinSet : IUncertaintySet
{
    public const string PerPairSquared = "per-pair-squared";
    public const string RootMean = "root-mean";

    /// <summary>Floor under the mean penalty before its square root.</summary>
    private const double SqrtFloor = 1e-12;

    public string Name => "wasserstein";

    public string Description =>
        "Wasserstein ball (WDPO): gradient penalty pen_i = ‖∂l_i/∂E_chosen‖² + ‖∂l_i/∂E_rejected‖² on the input embeddings (double backward). " +
        "'per-pair-squared' (official code): mean(l + ρ·pen); 'root-mean' (paper Alg. 1): mean(l) + ρ·√mean(pen).";

    private static readonly ParameterSpec Rho = ParameterSpec.Real("rho", 0.01,
        "Radius ρ of the ball (penalty weight); 0 gives DPO's mean. Scales of the two forms differ.", minimum: 0);
    private static readonly ParameterSpec Form = ParameterSpec.Choice("form", PerPairSquared,
        "'per-pair-squared' (official code) or 'root-mean' (paper's Algorithm 1).", PerPairSquared, RootMean);

    public IReadOnlyList<ParameterSpec> Parameters { get; } = [Rho, Form];

    public BatchRequirements Requirements => BatchRequirements.InputEmbeddings | BatchRequirements.PerPairLosses;

    public RobustObjective Aggregate(Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters)
    {
        var rho = parameters.Scalar(Rho);
        var penalty = PerPairPenalty(perPairLoss, batch);           // [B]
        Tensor loss, reported;
        if (parameters.Choice(Form) == RootMean)
        {
            // d√x/dx is infinite at 0 (an all-zero gradient gives NaN through backward); the floor changes the value by at most 1e-6.
            reported = penalty.mean().clamp_min(parameters.Scalar(SqrtFloor)).sqrt();
            loss = perPairLoss.mean() + rho * reported;
        }
        else
        {
            reported = penalty.mean();
            loss = (perPairLoss + rho * penalty).mean();
        }
        return new RobustObjective(loss)
        {
            Metrics = new Dictionary<string, Tensor> { ["robust/penalty"] = reported.detach(), ["robust/max_pair_penalty"] = penalty.detach().max() },
        };
    }

    /// <summary>Sums over every evaluated pair, so the objective is that of all held-out pairs at once: the root-mean form
    /// takes its square root once, of the mean penalty over all pairs, not per chunk.</summary>
    public IEvaluationAccumulator BeginEvaluation(PluginParameters parameters) =>
        new Evaluation(parameters.Real(Rho), parameters.Choice(Form) == RootMean);

    /// <summary>pen_i = ‖∂l_i/∂E_chosen,i‖² + ‖∂l_i/∂E_rejected,i‖² <c>[B]</c>, with a graph while training (the double backward).</summary>
    private static Tensor PerPairPenalty(Tensor perPairLoss, PreferenceBatch batch)
    {
        var embeddings = batch.InputEmbeddings ?? throw new InvalidOperationException(
            "The 'wasserstein' uncertainty set needs the policy's input embeddings, but the batch carries none (PreferenceBatch.InputEmbeddings is null); the trainer must set them when a plugin declares BatchRequirements.InputEmbeddings.");
        if (!perPairLoss.requires_grad)
            throw new InvalidOperationException(
                "The 'wasserstein' uncertainty set differentiates the loss w.r.t. the input embeddings, but the per-pair loss has no graph (computed under no_grad?); run the forward pass with grad enabled, also in evaluation.");
        int b = batch.PairCount;
        // G = ∂(Σ_i l_i)/∂E [2B, T_in, H]; pairs do not interact, so row i holds ∂l_i/∂E_i.
        var g = torch.autograd.grad([perPairLoss.sum()], [embeddings], retain_graph: true, create_graph: batch.IsTraining)[0];
        var g2 = g.square().flatten(1).sum(1);                     // [2B]
        return g2.narrow(0, 0, b) + g2.narrow(0, b, b);             // [B] chosen + rejected summed
    }

    /// <summary>Σ l_i, Σ pen_i and the pair count (float64) over the chunks added.</summary>
    private sealed class Evaluation(double rho, bool rootMean) : IEvaluationAccumulator
    {
        private double _lossSum, _penaltySum;
        private long _pairs;

        public void Add(Tensor perPairLoss, PreferenceBatch batch)
        {
            using var scope = NewDisposeScope();
            var penalty = PerPairPenalty(perPairLoss, batch);
            _lossSum += perPairLoss.detach().to_type(ScalarType.Float64).sum().item<double>();
            _penaltySum += penalty.detach().to_type(ScalarType.Float64).sum().item<double>();
            _pairs += batch.PairCount;
        }

        public double Objective
        {
            get
            {
                if (_pairs == 0) return double.NaN;
                double meanLoss = _lossSum / _pairs, meanPenalty = _penaltySum / _pairs;
                return rootMean ? meanLoss + rho * Math.Sqrt(Math.Max(meanPenalty, SqrtFloor)) : meanLoss + rho * meanPenalty;
            }
        }
    }
}
