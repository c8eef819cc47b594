using System.Diagnostics;
using System.Runtime.InteropServices;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Models.Lora;

namespace RiskAlign.Framework.Training;

/// <summary>
/// Runs one trial end to end on the calling thread (the silo gives it its own): builds or takes the cached task,
/// copies the reference into a trainable policy, trains and evaluates, and reports a <see cref="TrialResult"/>.
/// Never throws for a trial's own trouble: divergence → <see cref="TrialStatus.Diverged"/>, cancellation →
/// <see cref="TrialStatus.Cancelled"/>, anything else (bad task setting, missing risk measure, plugin error, ...) →
/// <see cref="TrialStatus.Failed"/> with the message; the sweep goes on.
/// </summary>
public static class TrialExecutor
{
    /// <summary>Most runs of one trial: the first and up to two restarts after a finalized-Scalar error.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Name of the trace event recorded on the trial span before a restart.</summary>
    public const string RetryEvent = "riskalign.trial.retry";

    /// <summary>
    /// libtorch's check on a <c>c10::Scalar</c> whose tag is garbage: TorchSharp freed an implicitly created Scalar on the
    /// finalizer thread while a native call still read it (dotnet/TorchSharp#1434). The model and sampler hot paths hold
    /// their Scalars, but TorchSharp's own code (optimizers, operators) still converts implicitly, so a trial hit by
    /// it is restarted rather than lost. Any other native error fails the trial at once.
    /// </summary>
    public static bool IsFinalizedScalar(ExternalException ex) =>
        ex.Message.StartsWith("Expected false to be true, but got false", StringComparison.Ordinal);

    /// <summary>Runs <paramref name="trial"/> with the plugins the catalog resolved for it; a trial hit by a finalized
    /// Scalar (<see cref="IsFinalizedScalar"/>) is restarted, at most <see cref="MaxAttempts"/> runs in all.</summary>
    public static TrialResult Run(TrialDefinition trial, TrialPlugins plugins, TaskContext context,
        IProgress<TrialProgress>? progress, CancellationToken cancellationToken) =>
        Run(trial, () => plugins, context, progress, cancellationToken);

    /// <summary>As <see cref="Run(TrialDefinition, TrialPlugins, TaskContext, IProgress{TrialProgress}?, CancellationToken)"/>,
    /// resolving the plugins inside, so an error while resolving them becomes the trial's result like any other.</summary>
    public static TrialResult Run(TrialDefinition trial, Func<TrialPlugins> resolvePlugins, TaskContext context,
        IProgress<TrialProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var tags = new List<KeyValuePair<string, object?>>
        {
            new(RiskAlignTelemetry.Tags.SweepId, trial.SweepId),
            new(RiskAlignTelemetry.Tags.TrialId, trial.Id),
            new(RiskAlignTelemetry.Tags.Task, trial.Task.Name),
            new(RiskAlignTelemetry.Tags.Loss, trial.Loss.ToString()),
            new(RiskAlignTelemetry.Tags.RiskMeasure, trial.Risk?.ToString()),
            new(RiskAlignTelemetry.Tags.UncertaintySet, trial.UncertaintySet.ToString()),
            new(RiskAlignTelemetry.Tags.Seed, trial.Training.Seed),
            new(RiskAlignTelemetry.Tags.Device, context.Device.ToString()),
        };
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return RunCore(trial, resolvePlugins(), context, progress, cancellationToken, tags, clock) with { Attempts = attempt };
            }
            catch (ExternalException ex) when (attempt < MaxAttempts && IsFinalizedScalar(ex))
            {
                // Not the trial's fault: start it again from scratch (same seeds, so the same result as an unhit run).
                Activity.Current?.AddException(ex);
                Activity.Current?.AddEvent(new ActivityEvent(RetryEvent));
            }
            catch (Exception ex)
            {
                return ResultOf(trial, ex, cancellationToken, clock.Elapsed) with { Attempts = attempt };
            }
        }
    }

    /// <summary>
    /// The one place that turns an exception thrown while running a trial into its result: Cancelled when
    /// <paramref name="cancellationToken"/> asked for it, Failed with a message a user can act on otherwise. The trace
    /// keeps the whole exception (type, stack) for diagnosis. The silo's trial grain uses it too, for what happens
    /// around the run (waiting for a device slot).
    /// </summary>
    public static TrialResult ResultOf(TrialDefinition trial, Exception exception, CancellationToken cancellationToken, TimeSpan wall = default)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
            return new TrialResult { Trial = trial, Status = TrialStatus.Cancelled, Error = "Cancelled before training started.", WallSeconds = wall.TotalSeconds };
        Activity.Current?.AddException(exception);
        Activity.Current?.SetStatus(ActivityStatusCode.Error, exception.Message);
        return new TrialResult { Trial = trial, Status = TrialStatus.Failed, Error = Describe(exception), WallSeconds = wall.TotalSeconds };
    }

    private static TrialResult RunCore(TrialDefinition trial, TrialPlugins plugins, TaskContext context,
        IProgress<TrialProgress>? progress, CancellationToken cancellationToken, List<KeyValuePair<string, object?>> tags, Stopwatch clock)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Precision and attention kernel for every forward of this trial (task build/SFT, reference, policy, evaluation).
        // A gradient penalty (input embeddings requested) differentiates through the gradient: written-out attention.
        using var forwardMath = ForwardMath.Use(trial.Training.Precision == TrainingPrecision.Bf16,
            fusedAttention: !plugins.Requirements.HasFlag(BatchRequirements.InputEmbeddings));
        using var matmulPrecision = Tf32Matmuls.Use(trial.Training.Precision == TrainingPrecision.Tf32, context.Device);
        using var deviceMemory = DeviceMemoryPeak.Start(context.Device); // null on the CPU

        IPreferenceTask task;
        using (var build = RiskAlignTelemetry.ActivitySource.StartActivity(RiskAlignTelemetry.Spans.TaskBuild))
        {
            build?.SetTag(RiskAlignTelemetry.Tags.Task, trial.Task.Name);
            task = TaskCatalog.Create(trial.Task, context);
        }
        using (task)
        {
            cancellationToken.ThrowIfCancellationRequested();
            clock.Restart(); // wall time of training and evaluation, not of the (shared, cached) task build
            using var policy = CreatePolicy(task.Reference, trial.Training);
            using var trainer = new PreferenceTrainer(task, plugins, trial.Training, context.Device, context.ReferenceBudget);
            var outcome = trainer.Train(policy, progress, cancellationToken, tags);
            Activity.Current?.SetTag(RiskAlignTelemetry.Tags.ReferenceForwards, trainer.ReferenceForwards);
            RiskAlignTelemetry.ReferenceForwards.Add(trainer.ReferenceForwards,
                new KeyValuePair<string, object?>(RiskAlignTelemetry.Tags.SweepId, trial.SweepId));
            long trainableBytes = TrainableBytes(policy);
            string? saved = outcome.Status == TrialStatus.Completed && trial.Training.Save != TrialSave.None ? Save(trial, policy, context) : null;
            return new TrialResult
            {
                Trial = trial,
                Status = outcome.Status,
                Error = outcome.Error,
                Evaluations = outcome.Evaluations,
                TrainLog = outcome.TrainLog,
                DriftMetric = task.DriftMetric,
                RewardMetric = task.RewardMetric,
                StepsCompleted = outcome.StepsCompleted,
                WallSeconds = clock.Elapsed.TotalSeconds,
                TokensPerSecond = outcome.TokensPerSecond,
                Placement = context.Device.ToString(),
                PeakDeviceMemoryBytes = deviceMemory?.PeakBytes,
                TrainableParameterBytes = trainableBytes,
                OptimizerStateBytes = 2 * trainableBytes, // AdamW (amsgrad off): exp_avg and exp_avg_sq per trained parameter
                SavedModel = saved,
            };
        }
    }

    /// <summary>The trainable policy: a copy of the reference (full fine-tune), or LoRA adapters on the reference itself
    /// (<see cref="TrainingSettings.Lora"/>), whose forwards without the adapters are the reference's.</summary>
    /// <exception cref="ArgumentException">A LoRA target matches no linear layer, or r/α/dropout out of range.</exception>
    public static CausalLanguageModel CreatePolicy(CausalLanguageModel reference, TrainingSettings training) =>
        training.Lora is { } lora
            ? LoraModel.Wrap(reference, ToSpec(lora), training.Seed).Unfreeze()
            : reference.DeepCopy().Unfreeze();

    /// <summary>The model-layer form of <paramref name="lora"/>.</summary>
    public static LoraSpec ToSpec(LoraSettings lora) => new(lora.Rank, lora.Alpha, lora.Dropout, lora.TargetModules);

    /// <summary>Bytes of the parameters that train (require grad).</summary>
    public static long TrainableBytes(CausalLanguageModel policy) =>
        policy.parameters().Where(p => p.requires_grad).Sum(p => p.numel() * p.element_size());

    private static string Save(TrialDefinition trial, CausalLanguageModel policy, TaskContext context)
    {
        var settings = TaskCatalog.Settings(trial.Task);
        string? PathSetting(string name) => settings.GetType().GetProperty(name)?.GetValue(settings) is string { Length: > 0 } value
            ? AssetLocator.Resolve(value, context.AssetsFolder) : null;
        string? modelPath = PathSetting("Model");
        string? tokenizerPath = PathSetting("Tokenizer") ?? (modelPath is not null && Directory.Exists(modelPath) ? modelPath : null);
        var folder = PolicySaver.FolderFor(trial);
        PolicySaver.Save(policy, folder, tokenizerPath, trial.Training.Lora?.SaveForm ?? LoraSaveForm.Merged, modelPath);
        return folder;
    }

    /// <summary>The message a user can act on; the exception type only where the message alone would puzzle.</summary>
    private static string Describe(Exception ex) => ex switch
    {
        ArgumentException or KeyNotFoundException or InvalidOperationException or IOException or FormatException => ex.Message,
        _ when CudaOutOfMemory.TryParse(ex.Message, out var outOfMemory) => outOfMemory.Describe(),
        // torch errors carry the native stack after the first line
        _ => $"{ex.GetType().Name}: {ex.Message.Split('\n', 2)[0].Trim()}",
    };
}
