using System.Diagnostics;

namespace RiskAlign.Silo.Trials;

/// <summary>Forwards at most one progress report per interval (and always the last step and every evaluation), so a fast
/// training loop does not flood the sweep grain with messages.</summary>
public sealed class ThrottledProgress(TimeSpan interval, Func<TrialProgress, Task> forward) : IProgress<TrialProgress>
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _last;

    public void Report(TrialProgress value)
    {
        var now = _clock.Elapsed;
        // Reports that carry an evaluation always go: early stopping decides on them.
        if (value.Step < value.TotalSteps && value.EvaluatedDrift is null && _last is { } last && now - last < interval) return;
        _last = now;
        _ = forward(value);
    }
}
