using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace RiskAlign.Framework.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and one <see cref="Meter"/> of RiskAlign, both named <c>RiskAlign</c>,
/// and the names of the spans and instruments, so exporters, tests and dashboards agree on them.
/// Spans nest as client → sweep → trial → train → eval within one trace.
/// </summary>
public static class RiskAlignTelemetry
{
    /// <summary>Name of the activity source and the meter.</summary>
    public const string Name = "RiskAlign";

    /// <summary>Source of every RiskAlign span.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, typeof(RiskAlignTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Meter of every RiskAlign instrument.</summary>
    public static readonly Meter Meter = new(Name, typeof(RiskAlignTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Span names.</summary>
    public static class Spans
    {
        public const string Client = "riskalign.client";
        public const string Sweep = "riskalign.sweep";
        public const string Trial = "riskalign.trial";
        public const string TaskBuild = "riskalign.task.build";
        public const string Train = "riskalign.train";
        public const string Eval = "riskalign.eval";
    }

    /// <summary>Span attribute names.</summary>
    public static class Tags
    {
        public const string SweepId = "riskalign.sweep.id";
        public const string TrialId = "riskalign.trial.id";
        public const string Loss = "riskalign.loss";
        public const string RiskMeasure = "riskalign.risk";
        public const string UncertaintySet = "riskalign.uncertainty_set";
        public const string Task = "riskalign.task";
        public const string Seed = "riskalign.seed";
        public const string Step = "riskalign.step";
        public const string Status = "riskalign.trial.status";
        public const string Device = "riskalign.device";
        /// <summary>How the task-build span got its build: <c>hit</c> (on-disk cache), <c>built</c> (built now, stored
        /// when a cache folder is set), <c>memory</c> (an earlier trial of this process built or restored it).</summary>
        public const string TaskCache = "riskalign.task.cache";
        /// <summary>Seconds the build or the restore took in this span (0 for <c>memory</c>).</summary>
        public const string TaskBuildSeconds = "riskalign.task.build.seconds";
        /// <summary>Reference forwards a trial ran itself (its share of the build's shared reference outputs, plus the
        /// per-step forwards of pairs above the reference-output budget).</summary>
        public const string ReferenceForwards = "riskalign.reference.forwards";
    }

    /// <summary>Instruments, created once.</summary>
    public static readonly Counter<long> TrainedTokens = Meter.CreateCounter<long>("riskalign.train.tokens", "{token}", "Tokens processed by training steps (policy forward and backward).");
    public static readonly Histogram<double> StepDuration = Meter.CreateHistogram<double>("riskalign.train.step.duration", "s", "Wall time of one optimizer step.");
    public static readonly Counter<long> ReferenceForwards = Meter.CreateCounter<long>("riskalign.reference.forwards", "{forward}", "Forwards of the frozen reference model (batches), by sweep: trials of one task build on a silo share its outputs within the reference-output budget.");
    public static readonly Counter<long> TrialsFinished = Meter.CreateCounter<long>("riskalign.trials.finished", "{trial}", "Trials finished, by status; counted once per trial, when its sweep records the result.");
}
