namespace RiskAlign.Framework.Tests.Training;

/// <summary>Evaluation of the real <c>wasserstein</c> set (WDPO) reports its robust objective, loss + ρ·gradient penalty on
/// the input embeddings, computed with gradients for the embeddings only and leaving the policy as it was.</summary>
public sealed class WassersteinEvaluationTests
{
    private const int Vocabulary = 3, Hidden = 2;
    private const double Beta = 0.5, Rho = 0.3;

    [Fact]
    public void Evaluation_reports_wdpo_loss_plus_rho_times_the_embedding_gradient_penalty_over_all_pairs()
    {
        using var task = new HandBuiltTask(pairs: 70); // several evaluation chunks, the last one short: weighted by their pairs
        using var policy = task.Policy();
        var (meanLoss, robust, _) = ByHand(task.EvalPairs, Weights(policy), Weights(task.Reference));

        var metrics = Evaluate(task, policy);

        Assert.Equal(meanLoss, metrics["loss"], 5);
        Assert.Equal(robust, metrics["loss/robust"], 5);
        Assert.True(robust - meanLoss > 1e-3, "the penalty must not vanish, or the comparison proves nothing");
    }

    [Theory]
    [InlineData(16)] // the evaluator's chunk: 70 pairs = 4 × 16 + 6
    [InlineData(5)]
    [InlineData(70)] // all pairs at once
    public void The_root_mean_form_evaluates_to_its_objective_over_all_pairs_whatever_the_chunking(int chunkPairs)
    {
        // Expected: mean(l) + ρ·√mean(pen) over all 70 pairs, from the hand-written derivatives (ByHand). A square root
        // per chunk, weighted by pairs, would differ from it whenever the chunks' mean penalties differ.
        using var task = new HandBuiltTask(pairs: 70);
        using var policy = task.Policy();
        var (meanLoss, _, rootMean) = ByHand(task.EvalPairs, Weights(policy), Weights(task.Reference));

        var metrics = Evaluate(task, policy, WassersteinForm.RootMean, chunkPairs);

        Assert.Equal(meanLoss, metrics["loss"], 5);
        Assert.Equal(rootMean, metrics["loss/robust"], 5);
        Assert.True(rootMean - meanLoss > 1e-3, "the penalty must not vanish, or the comparison proves nothing");
    }

    [Fact]
    public void Evaluating_the_gradient_penalty_leaves_parameters_gradients_and_modes_as_they_were()
    {
        using var task = new HandBuiltTask(pairs: 10);
        using var policy = task.Policy();
        // Mid-training state: gradients accumulated by a backward that has not been applied yet.
        policy.Forward(tensor(new long[] { 1, 2, 0 }, [1, 3])).square().sum().backward();
        var weightsBefore = policy.parameters().Select(p => p.detach().clone()).ToList();
        var gradsBefore = policy.parameters().Select(p => p.grad!.detach().clone()).ToList();

        Evaluate(task, policy);

        var parameters = policy.parameters().ToList();
        for (int i = 0; i < parameters.Count; i++)
        {
            Assert.True(parameters[i].requires_grad, $"parameter {i} no longer requires grad");
            Assert.True(parameters[i].eq(weightsBefore[i]).all().item<bool>(), $"parameter {i} changed");
            Assert.True(parameters[i].grad!.eq(gradsBefore[i]).all().item<bool>(), $"parameter {i}'s gradient changed");
        }
        Assert.True(policy.training, "the policy must be back in train mode");
    }

    private enum WassersteinForm { PerPairSquared, RootMean }

    private static IReadOnlyDictionary<string, double> Evaluate(HandBuiltTask task, CausalLanguageModel policy,
        WassersteinForm form = WassersteinForm.PerPairSquared, int chunkPairs = 16)
    {
        var catalog = PluginCatalog.LoadDefault();
        var dpo = catalog.FindLoss("dpo")!;
        var set = catalog.UncertaintySets.Single(s => s.Name == "wasserstein");
        var plugins = new TrialPlugins(
            dpo, PluginParameters.WithDefaults(dpo.Parameters, new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(Beta) }), null,
            set, PluginParameters.WithDefaults(set.Parameters, new Dictionary<string, ParameterValue>
            {
                ["rho"] = ParameterValue.Of(Rho), ["form"] = ParameterValue.Of(form == WassersteinForm.RootMean ? "root-mean" : "per-pair-squared"),
            }));
        using var evaluator = new PreferenceEvaluator(task, plugins, TaskContext.Cpu.Device, ReferenceOutputSharing.None(), chunkPairs);
        return evaluator.Evaluate(policy, 1, CancellationToken.None).Metrics;
    }

    /// <summary>DPO and WDPO's official per-pair-squared objective of the linear model, in double arithmetic from its
    /// definition: logits z_t = e_t·W, log p_t = z_t[y_t] − logsumexp z_t, ∂log p_t/∂e_t = W[:, y_t] − Σ_v softmax(z_t)_v·W[:, v];
    /// l = −log σ(β·h), h = M_c − M_r (M = Σ over response labels of log p_θ − log p_ref), so ∂l/∂e_t = ∓β·σ(−β·h)·∂log p_t/∂e_t
    /// on the chosen (−) and rejected (+) sequences, pen = Σ_t ‖∂l/∂e_t‖², objective = mean(l + ρ·pen); the paper's
    /// root-mean form is mean(l) + ρ·√mean(pen), both means over all the pairs.</summary>
    private static (double MeanLoss, double Robust, double RootMean) ByHand(IReadOnlyList<PreferencePair> pairs, (double[,] Table, double[,] Output) policy,
        (double[,] Table, double[,] Output) reference)
    {
        double lossSum = 0, robustSum = 0, penaltySum = 0;
        foreach (var pair in pairs)
        {
            var (mc, gc) = Sequence(pair.Prompt, pair.Chosen);
            var (mr, gr) = Sequence(pair.Prompt, pair.Rejected);
            double h = mc - mr;
            double l = Softplus(-Beta * h);                       // −log σ(βh)
            double scale = Beta * Sigmoid(-Beta * h);             // |∂l/∂M|
            double penalty = scale * scale * (gc + gr);
            lossSum += l;
            robustSum += l + Rho * penalty;
            penaltySum += penalty;
        }
        return (lossSum / pairs.Count, robustSum / pairs.Count, lossSum / pairs.Count + Rho * Math.Sqrt(penaltySum / pairs.Count));

        // (M, Σ_t ‖∂M/∂e_t‖²) of prompt ++ response: position t (token s_t) predicts s_{t+1}, response labels only.
        (double LogRatio, double GradientSquares) Sequence(int[] prompt, int[] response)
        {
            var s = prompt.Concat(response).ToArray();
            double m = 0, squares = 0;
            for (int t = prompt.Length - 1; t < s.Length - 1; t++)
            {
                var (logp, gradient) = TokenLogp(policy, s[t], s[t + 1]);
                m += logp - TokenLogp(reference, s[t], s[t + 1]).Logp;
                squares += gradient.Sum(g => g * g);
            }
            return (m, squares);
        }
    }

    private static (double Logp, double[] Gradient) TokenLogp((double[,] Table, double[,] Output) w, int input, int label)
    {
        var z = new double[Vocabulary];
        for (int v = 0; v < Vocabulary; v++)
            for (int k = 0; k < Hidden; k++) z[v] += w.Table[input, k] * w.Output[k, v];
        double max = z.Max();
        double logSumExp = max + Math.Log(z.Sum(x => Math.Exp(x - max)));
        var p = z.Select(x => Math.Exp(x - logSumExp)).ToArray();
        var gradient = new double[Hidden];
        for (int k = 0; k < Hidden; k++)
        {
            gradient[k] = w.Output[k, label];
            for (int v = 0; v < Vocabulary; v++) gradient[k] -= p[v] * w.Output[k, v];
        }
        return (z[label] - logSumExp, gradient);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
    private static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    private static (double[,] Table, double[,] Output) Weights(CausalLanguageModel model)
    {
        var linear = (LinearTokenModel)model;
        return (ToArray(linear.Table, Vocabulary, Hidden), ToArray(linear.Output, Hidden, Vocabulary));
        static double[,] ToArray(Tensor x, int rows, int columns)
        {
            var data = x.detach().to_type(ScalarType.Float64).data<double>().ToArray();
            var result = new double[rows, columns];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < columns; j++) result[i, j] = data[i * columns + j];
            return result;
        }
    }

    /// <summary>No attention, no position: logits of position t are e_t·W with e_t the token's row of the table. Small
    /// enough that WDPO's penalty can be written out by hand.</summary>
    private sealed class LinearTokenModel : CausalLanguageModel
    {
        public LinearTokenModel(Tensor table, Tensor output) : base("linear-token")
        {
            Table = nn.Parameter(table);
            Output = nn.Parameter(output);
            register_parameter("table", Table);
            register_parameter("output", Output);
        }

        public TorchSharp.Modules.Parameter Table { get; } // [V, H]
        public TorchSharp.Modules.Parameter Output { get; } // [H, V]
        public override int VocabularySize => Vocabulary;
        public override int MaxSequenceLength => 64;
        public override Tensor Embed(Tensor inputIds) =>
            Table.index_select(0, inputIds.reshape(-1)).reshape(inputIds.shape[0], inputIds.shape[1], Hidden); // [N, T, H]
        public override Tensor ForwardEmbeddings(Tensor embeddings) => embeddings.matmul(Output); // [N, T, V]
        public override CausalLanguageModel DeepCopy() => new LinearTokenModel(Table.detach().clone(), Output.detach().clone());
    }

    private sealed class HandBuiltTask : IPreferenceTask
    {
        private readonly LinearTokenModel _reference;

        public HandBuiltTask(int pairs)
        {
            var random = new Random(7);
            int[] Tokens(int min, int max) => Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => random.Next(Vocabulary)).ToArray();
            EvalPairs = Enumerable.Range(0, pairs).Select(_ => new PreferencePair(Tokens(1, 3), Tokens(1, 4), Tokens(1, 4))).ToList();
            TrainPairs = EvalPairs;
            _reference = new LinearTokenModel(Matrix(Vocabulary, Hidden, 0.8, seed: 1), Matrix(Hidden, Vocabulary, 0.8, seed: 2));
            _reference.Freeze();
        }

        /// <summary>Uniform entries in [−scale, scale] from a seed.</summary>
        private static Tensor Matrix(int rows, int columns, double scale, int seed)
        {
            var random = new Random(seed);
            return tensor(Enumerable.Range(0, rows * columns).Select(_ => (float)(scale * (2 * random.NextDouble() - 1))).ToArray(), [rows, columns]);
        }

        /// <summary>A policy away from the reference (so margins, losses and penalties are not trivial), training.</summary>
        public CausalLanguageModel Policy() =>
            new LinearTokenModel(Matrix(Vocabulary, Hidden, 1.5, seed: 3), Matrix(Hidden, Vocabulary, 1.5, seed: 4)).Unfreeze();

        public string Name => "hand-built";
        public CausalLanguageModel Reference => _reference;
        public int PadTokenId => 0;
        public IReadOnlyList<PreferencePair> TrainPairs { get; }
        public IReadOnlyList<PreferencePair> EvalPairs { get; }
        public string DriftMetric => "kl/seq_chosen";
        public string RewardMetric => "rewards/accuracies";
        public IReadOnlyDictionary<string, double> Evaluate(CausalLanguageModel policy, CancellationToken cancellationToken) => new Dictionary<string, double>();
        public void Dispose() => _reference.Dispose();
    }
}
