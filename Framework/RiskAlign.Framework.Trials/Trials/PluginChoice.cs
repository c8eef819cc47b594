namespace RiskAlign.Framework.Trials;

/// <summary>A plugin named in a trial, with the values of its parameters (complete: defaults filled in).</summary>
public sealed record PluginChoice(string Name, IReadOnlyDictionary<string, ParameterValue> Values)
{
    /// <summary>The values as the plugin reads them.</summary>
    public PluginParameters ToParameters() => new(Values);

    /// <inheritdoc />
    public override string ToString() => Values.Count == 0 ? Name : $"{Name}({string.Join(", ", Values.Select(kv => $"{kv.Key}={kv.Value}"))})";
}
