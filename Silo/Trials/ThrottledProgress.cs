using System.Diagnostics;

namespace RiskAlign.Silo.Trials;

/// <summary>Forwards at most one progress report per interval (and always the last step and every evaluation), so a fast
/// training loop does not flood the sweep grain with messages. Reports are forwarded one after the other, in the order
/// they were made: early stopping judges each evaluation at its rung, so a later step must not overtake an earlier one.</summary>
public sealed class ThrottledProgress(TimeSpan interval, Func<TrialProgress, Task> forward) : IProgress<TrialProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private TimeSpan? _last;
    private Task _sent = Task.CompletedTask;

    public void Report(TrialProgress value)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            // Reports that carry an evaluation always go: early stopping decides on them.
            if (value.Step < value.TotalSteps && value.EvaluatedDrift is null && _last is { } last && now - last < interval) return;
            _last = now;
            // A failed send (a dying sweep silo) must not stop the later ones.
            _sent = _sent.ContinueWith(_ => forward(value), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }
}
