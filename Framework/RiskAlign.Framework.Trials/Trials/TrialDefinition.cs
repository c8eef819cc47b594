namespace RiskAlign.Framework.Trials;

/// <summary>Everything one trial of a sweep needs, fully resolved: no defaults left to apply.</summary>
public sealed record TrialDefinition
{
    /// <summary>The sweep this trial belongs to.</summary>
    public required string SweepId { get; init; }
    /// <summary>Index within the sweep, 0-based.</summary>
    public required int Index { get; init; }
    /// <summary>Name of the sweep arm (a loss/risk/set combination) it came from.</summary>
    public required string Arm { get; init; }
    /// <summary>The task.</summary>
    public required TaskChoice Task { get; init; }
    /// <summary>The loss plugin.</summary>
    public required PluginChoice Loss { get; init; }
    /// <summary>The risk measure, when the loss takes one.</summary>
    public PluginChoice? Risk { get; init; }
    /// <summary>The uncertainty set.</summary>
    public required PluginChoice UncertaintySet { get; init; }
    /// <summary>Optimiser and schedule.</summary>
    public required TrainingSettings Training { get; init; }

    /// <summary>Stable identifier, for example <c>quickstart-7</c>.</summary>
    public string Id => $"{SweepId}-{Index}";

    /// <summary>One line that names what varies: loss, risk, set and seed.</summary>
    public string Label => $"{Loss}{(Risk is null ? "" : " " + Risk)} {UncertaintySet} seed={Training.Seed}";
}
