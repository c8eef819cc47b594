namespace RiskAlign.Abstractions;

/// <summary>
/// The hyperparameter values one trial gives one plugin, already checked against its schema and completed
/// with defaults by the plugin catalog.
/// </summary>
public sealed class PluginParameters
{
    private readonly IReadOnlyDictionary<string, ParameterValue> _values;

    /// <summary>Wraps checked values.</summary>
    public PluginParameters(IReadOnlyDictionary<string, ParameterValue> values) => _values = values;

    /// <summary>No values (every lookup fails).</summary>
    public static PluginParameters Empty { get; } = new(new Dictionary<string, ParameterValue>());

    /// <summary>All values by name.</summary>
    public IReadOnlyDictionary<string, ParameterValue> Values => _values;

    /// <summary>The values of <paramref name="schema"/>: those given, else defaults.</summary>
    public static PluginParameters WithDefaults(IEnumerable<ParameterSpec> schema, IReadOnlyDictionary<string, ParameterValue>? given = null)
    {
        var values = new Dictionary<string, ParameterValue>(StringComparer.Ordinal);
        foreach (var spec in schema)
            values[spec.Name] = given is not null && given.TryGetValue(spec.Name, out var v) ? v : spec.Default;
        return new PluginParameters(values);
    }

    /// <summary>A real or integer value.</summary>
    public double Real(string name) => Get(name).Number;

    /// <summary>An integer value.</summary>
    public int Integer(string name) => checked((int)Get(name).Number);

    /// <summary>A boolean value.</summary>
    public bool Boolean(string name) => Get(name).Number != 0;

    /// <summary>A choice value.</summary>
    public string Choice(string name) => Get(name).Text ?? throw new InvalidOperationException($"Parameter '{name}' is a number, not a choice.");

    private ParameterValue Get(string name) => _values.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"No value for parameter '{name}'; known: {string.Join(", ", _values.Keys)}.");

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={kv.Value}"));
}
