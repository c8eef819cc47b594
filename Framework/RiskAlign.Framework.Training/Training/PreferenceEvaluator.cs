using System.Diagnostics;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Plugins;

namespace RiskAlign.Framework.Training;

/// <summary>
/// Measures a policy on the task's held-out pairs (no grad, batched) and with the task's own evaluation.
/// Metrics (means over pairs): TRL's <c>rewards/chosen</c>, <c>rewards/rejected</c> (as the loss plugin reports
/// them), <c>rewards/accuracies</c> (chosen reward &gt; rejected), <c>rewards/margins</c>, <c>logps/chosen</c>,
/// <c>logps/rejected</c>; <c>kl/seq_chosen</c>, <c>kl/seq_rejected</c> (sequential KL(π_ref ‖ π_θ));
/// <c>loss</c> (the mean per-pair loss: the uncertainty set is a training device and some sets need gradients);
/// the loss plugin's own metrics; <c>loss/robust</c>, for a set that couples the pairs
/// (<see cref="BatchRequirements.PerPairLosses"/>) and needs no input embeddings (KLDPO, Dr-DPO): its objective over all
/// held-out pairs at once, so independent of the chunking; for a set that needs the input embeddings (WDPO's gradient
/// penalty) <c>loss/robust</c> is its objective evaluated as the official WDPO code does (its loss runs under
/// <c>torch.enable_grad()</c> also in evaluation): each chunk's objective with gradients enabled for the input embeddings
/// only (parameters frozen for the duration, so no parameter gradient is computed or accumulated, and no optimizer state is
/// read or written), in chunks of 16 pairs added to the set's <see cref="IUncertaintySet.BeginEvaluation"/> accumulator
/// (by default each chunk's objective weighted by its pairs; <c>wasserstein</c> sums losses and penalties over all pairs,
/// so its value, root-mean form included, does not depend on the chunking); then the task's (for example
/// <c>reward/true</c>, <c>kl/true</c>).
/// </summary>
internal sealed class PreferenceEvaluator : IDisposable
{
    private const int BatchPairs = 64;
    /// <summary>Pairs per chunk when the set needs a backward to the embeddings: that graph costs activation memory
    /// like a training micro-batch (16 pairs by default), which 64 pairs could exceed.</summary>
    private const int PenaltyBatchPairs = 16;
    private readonly IPreferenceTask _task;
    private readonly TrialPlugins _plugins;
    private readonly PairTensors _pairs;
    private readonly int _penaltyChunkPairs;

    /// <param name="penaltyChunkPairs">Pairs per chunk when the set needs a backward to the embeddings (tests vary it).</param>
    public PreferenceEvaluator(IPreferenceTask task, TrialPlugins plugins, Device device, ReferenceOutputSharing sharing,
        int penaltyChunkPairs = PenaltyBatchPairs)
    {
        _penaltyChunkPairs = penaltyChunkPairs;
        _task = task;
        _plugins = plugins;
        _pairs = new PairTensors(task.EvalPairs, task.PadTokenId, task.Reference, device, sharing, "eval");
    }

    public EvaluationPoint Evaluate(CausalLanguageModel policy, int step, CancellationToken cancellationToken)
    {
        using var activity = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.Eval);
        activity?.SetTag(RiskAlignTelemetry.Tags.Step, step);
        using var evalMode = policy.InEvalMode();
        try
        {
            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            void Add(string name, double value) => sums[name] = sums.GetValueOrDefault(name) + value;
            var setNeeds = _plugins.UncertaintySet.Requirements;
            bool robust = setNeeds.HasFlag(BatchRequirements.PerPairLosses) && !setNeeds.HasFlag(BatchRequirements.InputEmbeddings);
            bool penalised = setNeeds.HasFlag(BatchRequirements.InputEmbeddings); // the set differentiates w.r.t. the embeddings
            using var frozen = penalised ? new FrozenParameters(policy) : null;
            var robustEvaluation = penalised ? _plugins.UncertaintySet.BeginEvaluation(_plugins.UncertaintySetParameters) : null;
            var pairLosses = new List<Tensor>();
            double robustLoss = double.NaN;
            int chunk = penalised ? _penaltyChunkPairs : BatchPairs;
            for (int start = 0; start < _pairs.Count; start += chunk)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                using var _ = penalised ? enable_grad() : no_grad();
                int b = Math.Min(chunk, _pairs.Count - start);
                var (ids, labels, mask, referenceLogits) = _pairs.Select(Enumerable.Range(start, b).ToArray());
                var embeddings = policy.Embed(ids); // [2B, T, H]
                if (penalised) embeddings = embeddings.detach().requires_grad_(true); // the only tensor that requires grad
                var batch = new PreferenceBatch(policy.ForwardEmbeddings(embeddings), referenceLogits, labels, mask)
                {
                    InputEmbeddings = _plugins.Requirements.HasFlag(BatchRequirements.InputEmbeddings) ? embeddings : null,
                    RiskMeasure = _plugins.Risk,
                    IsTraining = false,
                };
                var output = _plugins.Loss.Compute(batch, _plugins.LossParameters);
                static double Sum(Tensor x) => x.detach().to_type(ScalarType.Float64).sum().item<double>();
                var chosen = output.ChosenRewards.detach();
                var rejected = output.RejectedRewards.detach();
                Add("rewards/chosen", Sum(chosen));
                Add("rewards/rejected", Sum(rejected));
                Add("rewards/accuracies", Sum(chosen.gt(rejected)));
                Add("rewards/margins", Sum(chosen - rejected));
                Add("logps/chosen", Sum(batch.Chosen(batch.PolicySequenceLogps)));
                Add("logps/rejected", Sum(batch.Rejected(batch.PolicySequenceLogps)));
                Add("kl/seq_chosen", Sum(batch.Chosen(batch.SequenceKl)));
                Add("kl/seq_rejected", Sum(batch.Rejected(batch.SequenceKl)));
                Add("loss", Sum(output.PerPairLoss));
                foreach (var (name, value) in output.Metrics) Add(name, b * Sum(value) / Math.Max(1, value.numel()));
                robustEvaluation?.Add(output.PerPairLoss, batch);
                if (robust)
                {
                    pairLosses.Add(output.PerPairLoss.detach().MoveToOuterDisposeScope());
                    if (start + b == _pairs.Count) // all pairs in: the set's objective over the whole held-out set
                    {
                        var all = cat(pairLosses, 0); // [N]
                        robustLoss = Sum(_plugins.UncertaintySet.Aggregate(all, batch, _plugins.UncertaintySetParameters).Loss);
                        foreach (var l in pairLosses) l.Dispose();
                    }
                }
            }
            var metrics = sums.ToDictionary(kv => kv.Key, kv => kv.Value / _pairs.Count, StringComparer.Ordinal);
            if (robust) metrics["loss/robust"] = robustLoss;
            if (robustEvaluation is not null) metrics["loss/robust"] = robustEvaluation.Objective;
            foreach (var (name, value) in _task.Evaluate(policy, cancellationToken)) metrics[name] = value;
            foreach (var (name, value) in metrics)
            {
                activity?.SetTag("riskalign.metric." + name, value);
                if (!double.IsFinite(value))
                    throw new TrainingDivergedException($"Metric '{name}' became {value} at the evaluation of step {step}.");
            }
            return new EvaluationPoint(step, metrics);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    public void Dispose() => _pairs.Dispose();

    /// <summary>Turns <c>requires_grad</c> off on every parameter that has it, and back on at dispose: evaluation of a
    /// gradient penalty then builds a graph to the input embeddings only.</summary>
    private sealed class FrozenParameters : IDisposable
    {
        private readonly List<Tensor> _frozen;

        public FrozenParameters(CausalLanguageModel policy)
        {
            _frozen = policy.parameters().Where(p => p.requires_grad).Cast<Tensor>().ToList();
            foreach (var p in _frozen) p.requires_grad = false;
        }

        public void Dispose()
        {
            foreach (var p in _frozen) p.requires_grad = true;
        }
    }
}
