namespace RiskAlign.Framework.Comparison;

/// <summary>One trial of a compared sweep, as its folder's trials.csv and trace.jsonl give it.</summary>
/// <param name="Completed">Status Completed; only completed trials with finite drift and reward are on a front.</param>
/// <param name="Metrics">Every numeric column of its trials.csv row (drift, reward, final metrics, wall_seconds, ...).</param>
/// <param name="Timings">Its spans, when trace.jsonl holds its trial span.</param>
public sealed record ComparedTrial(int Index, string Id, string Arm, string Status, bool Completed, double Drift, double Reward,
    IReadOnlyDictionary<string, double> Metrics, TrialTimings? Timings)
{
    /// <summary>Completed with finite drift and reward.</summary>
    public bool Eligible => Completed && double.IsFinite(Drift) && double.IsFinite(Reward);
}
