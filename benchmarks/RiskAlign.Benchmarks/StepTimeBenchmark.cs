using System.Diagnostics.Metrics;
using System.Globalization;
using RiskAlign.Abstractions;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Tasks;
using RiskAlign.Framework.Telemetry;
using RiskAlign.Framework.Training;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Benchmarks;

/// <summary>
/// Runs one short trial per configuration on the synthetic task (same model, data and seed) and collects the
/// trainer's own per-step durations (the <c>riskalign.train.step.duration</c> histogram), so the figure is the
/// optimizer step alone: policy and reference forward, loss, uncertainty set, backward, AdamW.
/// </summary>
internal sealed class StepTimeBenchmark(PluginCatalog catalog, int steps, int batchSize, int warmupSteps)
{
    public sealed record Configuration(string Label, string Loss, string? Risk, string Set, Dictionary<string, ParameterValue>? SetValues = null);

    public sealed record Measurement(Configuration Configuration, double MedianMs, double P90Ms, double TokensPerSecond, TrialStatus Status);

    public Measurement Measure(Configuration configuration)
    {
        var durations = new List<double>();
        var stepDuration = RiskAlignTelemetry.StepDuration; // created before listening, so the listener can compare against it
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RiskAlignTelemetry.Name && ReferenceEquals(instrument, stepDuration)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => { lock (durations) durations.Add(value); });
        listener.Start();

        var trial = new TrialDefinition
        {
            SweepId = "bench", Index = 0, Arm = configuration.Label,
            Task = new TaskChoice("synthetic"),
            Loss = Choice(catalog.FindLoss(configuration.Loss)!, null),
            Risk = configuration.Risk is null ? null : Choice(catalog.FindRiskMeasure(configuration.Risk)!, null),
            UncertaintySet = Choice(catalog.FindUncertaintySet(configuration.Set)!, configuration.SetValues),
            Training = new TrainingSettings { Steps = steps, BatchSize = batchSize, EvalEvery = steps, Seed = 0 },
        };
        var result = TrialExecutor.Run(trial, catalog.Resolve(trial), TaskContext.Cpu, null, CancellationToken.None);
        listener.Dispose();

        var timed = durations.Skip(warmupSteps).Order().ToList();
        if (timed.Count == 0) return new Measurement(configuration, double.NaN, double.NaN, double.NaN, result.Status);
        return new Measurement(configuration, 1000 * timed[timed.Count / 2], 1000 * timed[(int)(0.9 * (timed.Count - 1))], result.TokensPerSecond, result.Status);
    }

    private static PluginChoice Choice(IPlugin plugin, Dictionary<string, ParameterValue>? values) =>
        new(plugin.Name, PluginParameters.WithDefaults(plugin.Parameters, values).Values);

    public static string Format(double x) => x.ToString("F2", CultureInfo.InvariantCulture);
}
