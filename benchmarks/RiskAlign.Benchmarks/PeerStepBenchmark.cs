using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using RiskAlign.Abstractions;
using RiskAlign.Framework.Models;
using RiskAlign.Framework.Models.Loading;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Framework.Training;
using RiskAlign.Framework.Trials;
using TorchSharp;

namespace RiskAlign.Benchmarks;

/// <summary>
/// <c>step</c> mode: RiskAlign's own training step — the real <see cref="PreferenceTrainer"/> with plugins from the
/// catalog (policy forward+backward, frozen reference forward or cached logits, loss, uncertainty set, clip, AdamW) —
/// on a Hugging Face checkpoint folder and random token pairs, timed from the trainer's step-duration histogram and
/// printed as one <c>RESULT peer=riskalign ...</c> line in the shape of <c>benchmarks/peer/train_step_peer.py</c>.
/// Tokens per step are the trainer's count, <c>2B·(P+R−1)</c>; warm-up steps are not timed.
/// </summary>
internal static class PeerStepBenchmark
{
    /// <summary>The trainer's reference-logit cache limit (PairTensors.ReferenceCacheBytes, internal there), to report which path ran.</summary>
    private const long ReferenceCacheBytes = 256L << 20;

    private const string Usage =
        "usage: step --model DIR [--pairs 8] [--prompt 32] [--response 224] [--loss dpo] [--risk NAME] [--set nominal] " +
        "[--precision fp32|bf16|tf32] [--attention auto|eager|sdpa] [--steps 20] [--warmup 3] [--lr 1e-6] [--max-grad-norm 1.0] " +
        "[--pool 4·pairs] [--device cpu|cuda[:N]] [--threads 0] [--seed 0]";

    public static int Run(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                return Fail($"unexpected argument '{args[i]}'");
            options[args[i][2..]] = args[++i];
        }
        string Text(string name, string fallback) => options.Remove(name, out var v) ? v : fallback;
        int Int(string name, int fallback) => int.Parse(Text(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        double Real(string name, double fallback) => double.Parse(Text(name, fallback.ToString("R", CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        string model = Text("model", "");
        int pairs = Int("pairs", 8), prompt = Int("prompt", 32), response = Int("response", 224);
        int steps = Int("steps", 20), warmup = Int("warmup", 3), threads = Int("threads", 0), seed = Int("seed", 0);
        int pool = Int("pool", 4 * pairs);
        string lossName = Text("loss", "dpo"), setName = Text("set", "nominal");
        string? riskName = options.Remove("risk", out var r) ? r : null;
        string precisionText = Text("precision", "fp32"), attention = Text("attention", "auto"), deviceText = Text("device", "cpu");
        double lr = Real("lr", 1e-6), maxGradNorm = Real("max-grad-norm", 1.0);
        if (options.Count > 0) return Fail($"unknown option --{options.Keys.First()}");
        if (model.Length == 0) return Fail("--model DIR is required (benchmarks/peer/make_checkpoint.py writes one)");
        if (pairs < 1 || prompt < 1 || response < 1 || steps < 1 || warmup < 0 || pool < pairs)
            return Fail("--pairs, --prompt, --response, --steps must be >= 1, --warmup >= 0, --pool >= --pairs");
        var precision = precisionText switch
        {
            "fp32" => TrainingPrecision.Fp32, "bf16" => TrainingPrecision.Bf16, "tf32" => TrainingPrecision.Tf32,
            _ => (TrainingPrecision?)null,
        };
        if (precision is null) return Fail($"--precision: expected fp32, bf16 or tf32, got '{precisionText}'");
        if (attention is not ("auto" or "eager" or "sdpa")) return Fail($"--attention: expected auto, eager or sdpa, got '{attention}'");

        if (threads > 0) torch.set_num_threads(threads);
        var device = torch.device(deviceText);
        var catalog = PluginCatalog.LoadDefault();
        var trial = new TrialDefinition
        {
            SweepId = "peer-step", Index = 0, Arm = lossName,
            Task = new TaskChoice("peer-random-pairs"),
            Loss = Choice(catalog.FindLoss(lossName), lossName),
            Risk = riskName is null ? null : Choice(catalog.FindRiskMeasure(riskName), riskName),
            UncertaintySet = Choice(catalog.FindUncertaintySet(setName), setName),
            Training = new TrainingSettings
            {
                Steps = warmup + steps, BatchSize = pairs, LearningRate = lr, WeightDecay = 0.0, MaxGradNorm = maxGradNorm,
                EvalEvery = int.MaxValue, Seed = seed, Precision = precision.Value,
            },
        };
        var plugins = catalog.Resolve(trial);
        bool fused = attention switch
        {
            "sdpa" => true,
            "eager" => false,
            _ => !plugins.Requirements.HasFlag(BatchRequirements.InputEmbeddings), // what TrialExecutor picks
        };
        using var forwardMath = ForwardMath.Use(precision == TrainingPrecision.Bf16, fused);
        using var matmuls = Tf32Matmuls.Use(precision == TrainingPrecision.Tf32, device);

        using var task = new RandomPairsTask(HuggingFaceCheckpoint.Load(model, device), pool, prompt, response, seed);
        int t = prompt + response - 1;
        long tokensPerStep = 2L * pairs * t;
        bool cached = 2L * pool * t * task.Reference.VocabularySize * sizeof(float) <= ReferenceCacheBytes;

        var durations = new List<double>();
        var stepDuration = RiskAlignTelemetry.StepDuration;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (ReferenceEquals(instrument, stepDuration)) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => { lock (durations) durations.Add(value); });
        listener.Start();
        var lastLoss = new LastLoss();
        TrainingOutcome outcome;
        using (var policy = task.Reference.DeepCopy().Unfreeze())
        using (var trainer = new PreferenceTrainer(task, plugins, trial.Training, device))
            outcome = trainer.Train(policy, lastLoss, CancellationToken.None);
        listener.Dispose();
        if (outcome.Status != TrialStatus.Completed) return Fail($"training stopped: {outcome.Status} {outcome.Error}");

        var timed = durations.Skip(warmup).Select(s => s * 1000.0).ToList();
        double totalSeconds = timed.Sum() / 1000.0;
        double tokensPerSecond = tokensPerStep * timed.Count / totalSeconds;
        var sorted = timed.Order().ToList();
        double median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        string load = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"# TorchSharp {typeof(torch).Assembly.GetName().Version}, torch threads {torch.get_num_threads()}, load average {load}; {RiskAlign.Framework.Models.TorchRuntime.MklCpuDispatch.Apply()}; " +
            $"{lossName}, B={pairs}, T={t}, vocab {task.Reference.VocabularySize}, reference {(cached ? "cached" : "forward")}, " +
            $"attention {(fused ? "sdpa" : "eager")}, steps {steps} timed + {warmup} warm-up"));
        Console.WriteLine(string.Create(inv, $"# step ms: min {sorted[0]:F1}, median {median:F1}, max {sorted[^1]:F1}"));
        Console.WriteLine(string.Create(inv, $"RESULT peer=riskalign impl=riskalign loss={lossName} loss_value={lastLoss.Value:F6} precision={precisionText} " +
            $"attention={(fused ? "sdpa" : "eager")} device={device.type.ToString().ToLowerInvariant()} pairs={pairs} tokens_per_step={tokensPerStep} " +
            $"tokens_per_s={tokensPerSecond:F1} median_step_ms={median:F2} peak_mem_bytes={Process.GetCurrentProcess().PeakWorkingSet64}"));
        return 0;
    }

    private static PluginChoice Choice(IPlugin? plugin, string name) =>
        plugin is null ? throw new ArgumentException($"unknown plugin '{name}' (see plugins-config/plugins.json)")
            : new(plugin.Name, PluginParameters.WithDefaults(plugin.Parameters, null).Values);

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }

    /// <summary>Keeps the last reported training loss (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class LastLoss : IProgress<TrialProgress>
    {
        public double Value { get; private set; } = double.NaN;
        public void Report(TrialProgress value) => Value = value.Loss;
    }
}
