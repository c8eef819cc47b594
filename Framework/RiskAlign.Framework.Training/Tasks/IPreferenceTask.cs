using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// What a trial trains on: the frozen reference model, the preference pairs and the task's own evaluation
/// (ground-truth reward and drift where the task knows them). Built once per trial by <see cref="TaskCatalog"/>.
/// </summary>
public interface IPreferenceTask : IDisposable
{
    /// <summary>Task name as in sweep specs.</summary>
    string Name { get; }

    /// <summary>The frozen reference model (eval mode, no grad).</summary>
    CausalLanguageModel Reference { get; }

    /// <summary>Token id used to pad sequences on the right.</summary>
    int PadTokenId { get; }

    /// <summary>Training pairs.</summary>
    IReadOnlyList<PreferencePair> TrainPairs { get; }

    /// <summary>Held-out pairs for reward accuracy and sequential KL.</summary>
    IReadOnlyList<PreferencePair> EvalPairs { get; }

    /// <summary>The metric the Pareto front minimises (for example <c>kl/true</c>).</summary>
    string DriftMetric { get; }

    /// <summary>The metric the Pareto front maximises (for example <c>reward/true</c>).</summary>
    string RewardMetric { get; }

    /// <summary>
    /// The task's own metrics of a policy (for example <c>reward/true</c>, <c>kl/true</c>). Metrics named
    /// <c>&lt;series&gt;/&lt;param&gt;=&lt;x&gt;</c> (<c>reward/alpha=0.10</c>) are points of a shift curve: the report
    /// plots each family against x (<see cref="Reports.ShiftMetricName"/>).
    /// </summary>
    IReadOnlyDictionary<string, double> Evaluate(CausalLanguageModel policy, CancellationToken cancellationToken);
}
