using System.Diagnostics;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Plugins;

namespace RiskAlign.Framework.Training;

/// <summary>
/// Preference optimisation of a policy against a task's frozen reference. One step: B training pairs (order from
/// <see cref="TrainingSettings.Seed"/>, reshuffled every epoch) → policy forward with grad (input embeddings kept as a
/// graph node) and reference logits (computed once and cached when they fit) → <see cref="PreferenceBatch"/> → loss
/// plugin → per-pair losses → uncertainty set → scalar → backward → global grad-norm clip → AdamW with linear
/// warm-up. Evaluates at step 0 (the reference itself), every <see cref="TrainingSettings.EvalEvery"/> steps and at the
/// end. A NaN or infinite loss, gradient norm or metric stops the run as <see cref="TrialStatus.Diverged"/>;
/// cancellation stops it as <see cref="TrialStatus.Cancelled"/>. Runs on the calling thread.
/// </summary>
public sealed class PreferenceTrainer : IDisposable
{
    private readonly IPreferenceTask _task;
    private readonly TrialPlugins _plugins;
    private readonly TrainingSettings _settings;
    private readonly PairTensors _train;
    private readonly PreferenceEvaluator _evaluator;

    /// <summary>Prepares the training and evaluation pairs on <paramref name="device"/> (and the reference logits on them,
    /// shared with the other trials of the task build within <paramref name="referenceBudget"/>, default
    /// <see cref="ReferenceOutputBudget.Default"/>).</summary>
    /// <exception cref="ArgumentException">Settings out of range.</exception>
    public PreferenceTrainer(IPreferenceTask task, TrialPlugins plugins, TrainingSettings settings, Device device,
        ReferenceOutputBudget? referenceBudget = null)
    {
        Check(settings);
        if (task.TrainPairs.Count == 0) throw new ArgumentException($"Task '{task.Name}' has no training pairs.");
        if (task.EvalPairs.Count == 0) throw new ArgumentException($"Task '{task.Name}' has no evaluation pairs.");
        _task = task;
        _plugins = plugins;
        _settings = settings;
        // Trials of one task build share its reference outputs; any other task keeps them to itself (its own reference).
        object build = task is PreferenceTask shared ? shared.World : task.Reference;
        _sharing = new ReferenceOutputSharing(build, (referenceBudget ?? ReferenceOutputBudget.Default).BytesOn(device));
        _train = new PairTensors(task.TrainPairs, task.PadTokenId, task.Reference, device, _sharing, "train");
        _evaluator = new PreferenceEvaluator(task, plugins, device, _sharing);
    }

    private readonly ReferenceOutputSharing _sharing;

    /// <summary>Reference forwards this trainer ran itself so far: its share of computing the build's shared reference
    /// outputs (0 when another trial computed them) plus one per step and evaluation batch of a pair set not shared.</summary>
    public int ReferenceForwards => _sharing.Forwards;

    /// <summary>Trains <paramref name="policy"/> in place (its parameters must require grad).</summary>
    /// <param name="policy">The policy, normally a deep copy of the task's reference.</param>
    /// <param name="progress">Receives a report every ~1% of the steps and at the end.</param>
    /// <param name="cancellationToken">Checked every step and during evaluation.</param>
    /// <param name="tags">Extra attributes for the <c>riskalign.train</c> span (trial id, loss, ...).</param>
    public TrainingOutcome Train(CausalLanguageModel policy, IProgress<TrialProgress>? progress, CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, object?>>? tags = null)
    {
        using var activity = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Train, ActivityKind.Internal,
            parentContext: default, tags: tags);
        var meterTags = new TagList { { RiskAlignTelemetry.Tags.Loss, _plugins.Loss.Name } };
        var evaluations = new List<EvaluationPoint>();
        var trainLog = new List<EvaluationPoint>();
        // As TRL: a train row holds each metric's mean over the steps since the previous row (loss, rewards/*, logps/*,
        // the plugins' metrics); grad_norm and learning_rate are the logging step's, num_tokens the cumulative count.
        bool measure = _settings.LogEvery > 0;
        var interval = new Dictionary<string, double>(StringComparer.Ordinal);
        int intervalSteps = 0;
        int step = 0;
        long tokens = 0;
        var trainClock = new Stopwatch();
        int reportEvery = Math.Max(1, _settings.Steps / 100);

        TrainingOutcome Outcome(TrialStatus status, string? error)
        {
            activity?.SetTag(RiskAlignTelemetry.Tags.Step, step);
            activity?.SetTag(RiskAlignTelemetry.Tags.Status, status.ToString());
            if (status != TrialStatus.Completed) activity?.SetStatus(status == TrialStatus.Cancelled ? ActivityStatusCode.Unset : ActivityStatusCode.Error, error);
            return new TrainingOutcome(status, error, evaluations, step, trainClock.Elapsed.TotalSeconds, tokens) { TrainLog = trainLog };
        }

        using var optimizer = optim.AdamW(policy.parameters(), lr: _settings.LearningRate, beta1: _settings.Beta1, beta2: _settings.Beta2,
            eps: _settings.Epsilon, weight_decay: _settings.WeightDecay);
        var order = new DataOrder(_train.Count, _settings.Seed);
        policy.train();
        try
        {
            evaluations.Add(_evaluator.Evaluate(policy, 0, cancellationToken));
            while (step < _settings.Steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var stepClock = Stopwatch.StartNew();
                trainClock.Start();
                bool log = _settings.LogEvery > 0 && (step + 1) % _settings.LogEvery == 0;
                optimizer.zero_grad();
                var result = AccumulateGradients(policy, NextStepBatches(order), step, measure);
                double norm = double.NaN;
                if (_settings.MaxGradNorm > 0)
                {
                    norm = nn.utils.clip_grad_norm_(policy.parameters(), _settings.MaxGradNorm);
                    if (!double.IsFinite(norm))
                        throw new TrainingDivergedException($"The gradient norm became {norm} at step {step + 1} (loss '{_plugins.Loss.Name}', set '{_plugins.UncertaintySet.Name}').");
                }
                else if (log) norm = GradientNorm(policy);
                double learningRate = _settings.LearningRate * _settings.LearningRateFactor(step);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
                optimizer.step();
                trainClock.Stop();
                step++;
                tokens += result.Tokens;
                RiskAlignTelemetry.TrainedTokens.Add(result.Tokens, meterTags);
                RiskAlignTelemetry.StepDuration.Record(stepClock.Elapsed.TotalSeconds, meterTags);
                if (measure)
                {
                    foreach (var (name, value) in result.Metrics!.Append(new("loss", result.Loss)))
                        interval[name] = interval.GetValueOrDefault(name) + value;
                    intervalSteps++;
                }
                if (log)
                {
                    var metrics = interval.ToDictionary(kv => kv.Key, kv => kv.Value / intervalSteps, StringComparer.Ordinal);
                    metrics["grad_norm"] = norm;
                    metrics["learning_rate"] = learningRate;
                    metrics["num_tokens"] = tokens;
                    trainLog.Add(new EvaluationPoint(step, metrics));
                    interval.Clear();
                    intervalSteps = 0;
                }
                if (step % reportEvery == 0 || step == _settings.Steps)
                    progress?.Report(new TrialProgress(step, _settings.Steps, result.Loss));
                // Once the last step is done the trial has trained to the end: a cancel arriving now must not cost it its
                // final evaluation (it is recorded Completed with its final numbers).
                if (step % _settings.EvalEvery == 0 || step == _settings.Steps)
                {
                    var evaluation = _evaluator.Evaluate(policy, step, step == _settings.Steps ? CancellationToken.None : cancellationToken);
                    evaluations.Add(evaluation);
                    progress?.Report(new TrialProgress(step, _settings.Steps, result.Loss)
                    {
                        EvaluatedDrift = evaluation.Metrics.GetValueOrDefault(_task.DriftMetric, double.NaN),
                        EvaluatedReward = evaluation.Metrics.GetValueOrDefault(_task.RewardMetric, double.NaN),
                    });
                }
            }
            return Outcome(TrialStatus.Completed, null);
        }
        catch (TrainingDivergedException ex)
        {
            trainClock.Stop();
            return Outcome(TrialStatus.Diverged, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            trainClock.Stop();
            return Outcome(TrialStatus.Cancelled, $"Cancelled after {step} of {_settings.Steps} steps.");
        }
    }

    /// <summary>The pair indices of one optimizer step: <see cref="TrainingSettings.GradientAccumulationSteps"/> micro-batches
    /// of <see cref="TrainingSettings.BatchSize"/> pairs, or one batch of all of them when the uncertainty set groups by step.</summary>
    private int[][] NextStepBatches(DataOrder order)
    {
        int k = _settings.GradientAccumulationSteps;
        return _settings.RobustGroup == RobustGroup.Step || k == 1
            ? [order.Next(_settings.BatchSize * k)]
            : Enumerable.Range(0, k).Select(_ => order.Next(_settings.BatchSize)).ToArray();
    }

    /// <summary>One step's objective and its gradient (added to the parameters' .grad): each batch's robust objective,
    /// averaged over the batches, so k micro-batches of B pairs under the nominal set give the gradient of one batch of k·B.</summary>
    /// <param name="policy">The policy being trained.</param>
    /// <param name="batches">Pair indices of each micro-batch.</param>
    /// <param name="step">0-based step, for messages.</param>
    /// <param name="measure">Also compute the train metrics (synchronises with the device).</param>
    internal StepResult AccumulateGradients(CausalLanguageModel policy, int[][] batches, int step, bool measure)
    {
        bool needsEmbeddings = _plugins.Requirements.HasFlag(BatchRequirements.InputEmbeddings);
        int count = batches.Length;
        double loss = 0;
        long stepTokens = 0;
        var sums = measure ? new Dictionary<string, double>(StringComparer.Ordinal) : null;
        int pairs = batches.Sum(b => b.Length);
        foreach (var indices in batches)
        {
            using var scope = NewDisposeScope();
            var (ids, labels, mask, referenceLogits) = _train.Select(indices);
            var embeddings = policy.Embed(ids);                      // [2B, T, H], a graph node
            var logits = policy.ForwardEmbeddings(embeddings);        // [2B, T, V]
            var batch = new PreferenceBatch(logits, referenceLogits, labels, mask)
            {
                InputEmbeddings = needsEmbeddings ? embeddings : null,
                RiskMeasure = _plugins.Risk,
                IsTraining = true,
            };
            var output = _plugins.Loss.Compute(batch, _plugins.LossParameters);
            var objective = _plugins.UncertaintySet.Aggregate(output.PerPairLoss, batch, _plugins.UncertaintySetParameters);
            double batchLoss = objective.Loss.to_type(ScalarType.Float64).item<double>();
            if (!double.IsFinite(batchLoss))
                throw new TrainingDivergedException($"The training loss became {batchLoss} at step {step + 1} (loss '{_plugins.Loss.Name}', set '{_plugins.UncertaintySet.Name}').");
            loss += batchLoss / count;
            if (count == 1) objective.Loss.backward();
            else
            {
                using var share = (1.0 / count).ToScalar();
                (objective.Loss * share).backward();
            }
            stepTokens += ids.numel();
            if (sums is not null)
            {
                void Add(string name, double value) => sums[name] = sums.GetValueOrDefault(name) + value;
                static double Sum(Tensor x) => x.detach().to_type(ScalarType.Float64).sum().item<double>();
                double weight = (double)indices.Length / pairs; // per-pair means over the step; batch scalars weighted by their pairs
                var chosen = output.ChosenRewards.detach();
                var rejected = output.RejectedRewards.detach();
                Add("rewards/chosen", Sum(chosen) / pairs);
                Add("rewards/rejected", Sum(rejected) / pairs);
                Add("rewards/accuracies", Sum(chosen.gt(rejected)) / pairs);
                Add("rewards/margins", Sum(chosen - rejected) / pairs);
                Add("logps/chosen", Sum(batch.Chosen(batch.PolicySequenceLogps)) / pairs);
                Add("logps/rejected", Sum(batch.Rejected(batch.PolicySequenceLogps)) / pairs);
                Add("loss/pair_mean", Sum(output.PerPairLoss) / pairs);
                foreach (var (name, value) in output.Metrics) Add(name, weight * Sum(value) / Math.Max(1, value.numel()));
                foreach (var (name, value) in objective.Metrics) Add(name, weight * Sum(value) / Math.Max(1, value.numel()));
            }
        }
        return new StepResult(loss, stepTokens, sums);
    }

    private static double GradientNorm(CausalLanguageModel policy)
    {
        using var scope = NewDisposeScope();
        double squares = 0;
        foreach (var p in policy.parameters())
            if (p.grad is { } g) squares += g.to_type(ScalarType.Float64).square().sum().item<double>();
        return Math.Sqrt(squares);
    }

    /// <summary>What one step's forward and backward gave.</summary>
    /// <param name="Loss">The step objective (mean of the batches' robust objectives).</param>
    /// <param name="Tokens">Token positions forwarded.</param>
    /// <param name="Metrics">Train metrics when measured, else null.</param>
    internal sealed record StepResult(double Loss, long Tokens, IReadOnlyDictionary<string, double>? Metrics);

    /// <inheritdoc />
    public void Dispose()
    {
        _train.Dispose();
        _evaluator.Dispose();
    }

    private static void Check(TrainingSettings s)
    {
        static void Require(bool ok, string field, string expected, object value)
        {
            if (!ok) throw new ArgumentException($"Training setting '{field}': expected {expected}, got {value}.");
        }
        Require(s.Steps >= 1, "steps", "an integer >= 1", s.Steps);
        Require(s.BatchSize >= 1, "batch_size", "an integer >= 1", s.BatchSize);
        Require(double.IsFinite(s.LearningRate) && s.LearningRate > 0, "learning_rate", "a real number > 0", s.LearningRate);
        Require(double.IsFinite(s.WeightDecay) && s.WeightDecay >= 0, "weight_decay", "a real number >= 0", s.WeightDecay);
        Require(s.WarmupSteps >= 0, "warmup_steps", "an integer >= 0", s.WarmupSteps);
        Require(s.GradientAccumulationSteps >= 1, "gradient_accumulation_steps", "an integer >= 1", s.GradientAccumulationSteps);
        Require(s.Beta1 is >= 0 and < 1, "betas[0]", "a number in [0, 1)", s.Beta1);
        Require(s.Beta2 is >= 0 and < 1, "betas[1]", "a number in [0, 1)", s.Beta2);
        Require(double.IsFinite(s.Epsilon) && s.Epsilon > 0, "eps", "a real number > 0", s.Epsilon);
        Require(s.WarmupRatio is >= 0 and <= 1, "warmup_ratio", "a number in [0, 1]", s.WarmupRatio);
        Require(s.WarmupStartFactor is >= 0 and <= 1, "warmup_start_factor", "a number in [0, 1]", s.WarmupStartFactor);
        Require(s.MinLearningRateRatio is >= 0 and <= 1, "min_lr_ratio", "a number in [0, 1]", s.MinLearningRateRatio);
        Require(s.LogEvery >= 0, "log_every", "an integer >= 0 (0 = no train rows)", s.LogEvery);
        Require(double.IsFinite(s.MaxGradNorm) && s.MaxGradNorm >= 0, "max_grad_norm", "a real number >= 0 (0 = no clipping)", s.MaxGradNorm);
        Require(s.EvalEvery >= 1, "eval_every", "an integer >= 1", s.EvalEvery);
    }

    /// <summary>Epoch-wise shuffled pair indices from a seed.</summary>
    private sealed class DataOrder(int count, int seed)
    {
        private readonly Random _random = new(seed);
        private int[] _permutation = [];
        private int _position;

        public int[] Next(int batchSize)
        {
            var batch = new int[batchSize];
            for (int i = 0; i < batchSize; i++)
            {
                if (_position == _permutation.Length)
                {
                    _permutation = Enumerable.Range(0, count).ToArray();
                    _random.Shuffle(_permutation);
                    _position = 0;
                }
                batch[i] = _permutation[_position++];
            }
            return batch;
        }
    }
}
