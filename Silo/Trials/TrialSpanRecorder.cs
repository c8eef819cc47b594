using System.Collections.Concurrent;
using System.Diagnostics;
using RiskAlign.Framework.Telemetry;

namespace RiskAlign.Silo.Trials;

/// <summary>
/// Keeps the spans of each running trial (its own span and everything below it: task build, train, eval) as
/// <see cref="SpanRecord"/>s, so they travel with the trial's result to the sweep's storage instead of staying with
/// whatever exporter this silo has (often none). One listener for the process: it makes RiskAlign's spans recorded
/// even where no OpenTelemetry SDK listens, and files each stopped span under the trial whose span is its ancestor.
/// </summary>
public static class TrialSpanRecorder
{
    /// <summary>Most spans kept per trial (a trial evaluating every step would otherwise grow its result without
    /// bound); later ones are counted in the trial span's <c>riskalign.spans.dropped</c> tag.</summary>
    public const int MaxSpansPerTrial = 2000;

    private static readonly ConcurrentDictionary<ActivitySpanId, Recording> Open = new();
    private static readonly ActivityListener Listener = Listen();

    /// <summary>Starts keeping the spans of <paramref name="trial"/>'s subtree until the recording is disposed.
    /// Call <see cref="EnsureListening"/> before the trial span is started, so it is created at all.</summary>
    public static Recording Record(Activity trial)
    {
        var recording = new Recording(trial.SpanId);
        Open[trial.SpanId] = recording;
        return recording;
    }

    /// <summary>Makes sure RiskAlign's spans are created and recorded in this process from now on.</summary>
    public static void EnsureListening() => GC.KeepAlive(Listener);

    private static ActivityListener Listen()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RiskAlignTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static void OnStopped(Activity activity)
    {
        if (Open.IsEmpty) return;
        for (var node = activity; node is not null; node = node.Parent)
        {
            if (Open.TryGetValue(node.SpanId, out var recording))
            {
                recording.Add(activity);
                return;
            }
        }
    }

    /// <summary>The spans one trial has finished so far.</summary>
    public sealed class Recording(ActivitySpanId trialSpan) : IDisposable
    {
        private readonly List<SpanRecord> _spans = [];
        private int _dropped;

        internal void Add(Activity activity)
        {
            lock (_spans)
            {
                bool isTrial = activity.SpanId == trialSpan;
                if (_spans.Count >= MaxSpansPerTrial && !isTrial) { _dropped++; return; }
                if (isTrial && _dropped > 0) activity.SetTag("riskalign.spans.dropped", _dropped);
                _spans.Add(SpanRecord.From(activity));
            }
        }

        /// <summary>The spans recorded so far, in the order they stopped.</summary>
        public IReadOnlyList<SpanRecord> Spans
        {
            get { lock (_spans) return [.. _spans]; }
        }

        public void Dispose() => Open.TryRemove(trialSpan, out _);
    }
}
