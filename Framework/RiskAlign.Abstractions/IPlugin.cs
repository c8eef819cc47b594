namespace RiskAlign.Abstractions;

/// <summary>What every plugin declares: its name in sweep specs, a description and its parameters.</summary>
public interface IPlugin
{
    /// <summary>Unique name within its family, as written in sweep specs (for example <c>ra-dpo2</c>).</summary>
    string Name { get; }

    /// <summary>One or two sentences for <c>SweepClient plugins</c>.</summary>
    string Description { get; }

    /// <summary>The hyperparameters it takes.</summary>
    IReadOnlyList<ParameterSpec> Parameters { get; }
}
