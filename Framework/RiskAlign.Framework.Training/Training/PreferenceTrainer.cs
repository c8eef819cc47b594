using System.Diagnostics;
using RiskAlign.Abstractions;
using RiskAlign.Framework.Models;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Telemetry;
using TorchSharp;
using static TorchSharp.torch;
using RiskAlign.Framework.Trials;
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

    /// <summary>Prepares the training and evaluation pairs on <paramref name="device"/> (and caches reference logits).</summary>
    /// <exception cref="ArgumentException">Settings out of range.</exception>
    public PreferenceTrainer(IPreferenceTask task, TrialPlugins plugins, TrainingSettings settings, Device device)
    {
        Check(settings);
        if (task.TrainPairs.Count == 0) throw new ArgumentException($"Task '{task.Name}' has no training pairs.");
        if (task.EvalPairs.Count == 0) throw new ArgumentException($"Task '{task.Name}' has no evaluation pairs.");
        _task = task;
        _plugins = plugins;
        _settings = settings;
        _train = new PairTensors(task.TrainPairs, task.PadTokenId, task.Reference, device);
        _evaluator = new PreferenceEvaluator(task, plugins, device);
    }

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
        int step = 0;
        long tokens = 0;
        var trainClock = new Stopwatch();
        bool needsEmbeddings = _plugins.Requirements.HasFlag(BatchRequirements.InputEmbeddings);
        int reportEvery = Math.Max(1, _settings.Steps / 100);

        TrainingOutcome Outcome(TrialStatus status, string? error)
        {
            activity?.SetTag(RiskAlignTelemetry.Tags.Step, step);
            activity?.SetTag(RiskAlignTelemetry.Tags.Status, status.ToString());
            if (status != TrialStatus.Completed) activity?.SetStatus(status == TrialStatus.Cancelled ? ActivityStatusCode.Unset : ActivityStatusCode.Error, error);
            return new TrainingOutcome(status, error, evaluations, step, trainClock.Elapsed.TotalSeconds, tokens);
        }

        using var optimizer = optim.AdamW(policy.parameters(), lr: _settings.LearningRate, weight_decay: _settings.WeightDecay);
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
                double loss;
                long stepTokens;
                using (var scope = NewDisposeScope())
                {
                    var (ids, labels, mask, referenceLogits) = _train.Select(order.Next(_settings.BatchSize));
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
                    loss = objective.Loss.to_type(ScalarType.Float64).item<double>();
                    if (!double.IsFinite(loss))
                        throw new TrainingDivergedException($"The training loss became {loss} at step {step + 1} (loss '{_plugins.Loss.Name}', set '{_plugins.UncertaintySet.Name}').");
                    optimizer.zero_grad();
                    objective.Loss.backward();
                    if (_settings.MaxGradNorm > 0)
                    {
                        double norm = nn.utils.clip_grad_norm_(policy.parameters(), _settings.MaxGradNorm);
                        if (!double.IsFinite(norm))
                            throw new TrainingDivergedException($"The gradient norm became {norm} at step {step + 1} (loss '{_plugins.Loss.Name}', set '{_plugins.UncertaintySet.Name}').");
                    }
                    double warmup = _settings.WarmupSteps > 0 ? Math.Min(1.0, (step + 1.0) / _settings.WarmupSteps) : 1.0;
                    foreach (var group in optimizer.ParamGroups) group.LearningRate = _settings.LearningRate * warmup;
                    optimizer.step();
                    stepTokens = ids.numel();
                }
                trainClock.Stop();
                step++;
                tokens += stepTokens;
                RiskAlignTelemetry.TrainedTokens.Add(stepTokens, meterTags);
                RiskAlignTelemetry.StepDuration.Record(stepClock.Elapsed.TotalSeconds, meterTags);
                if (step % reportEvery == 0 || step == _settings.Steps)
                    progress?.Report(new TrialProgress(step, _settings.Steps, loss));
                if (step % _settings.EvalEvery == 0 || step == _settings.Steps)
                    evaluations.Add(_evaluator.Evaluate(policy, step, cancellationToken));
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
