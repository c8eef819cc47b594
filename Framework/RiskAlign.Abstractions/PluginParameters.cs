using System.Collections.Concurrent;
using TorchSharp;

namespace RiskAlign.Abstractions;

/// <summary>
/// The hyperparameter values one trial gives one plugin, already checked against its schema and completed
/// with defaults by the plugin catalog.
/// </summary>
public sealed class PluginParameters
{
    private readonly IReadOnlyDictionary<string, ParameterValue> _values;
    private readonly ConcurrentDictionary<double, Scalar> _scalars = new();

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

    /// <summary>The real value of <paramref name="spec"/>.</summary>
    public double Real(ParameterSpec spec) => Real(spec.Name);

    /// <summary>The integer value of <paramref name="spec"/>.</summary>
    public int Integer(ParameterSpec spec) => Integer(spec.Name);

    /// <summary>The boolean value of <paramref name="spec"/>.</summary>
    public bool Boolean(ParameterSpec spec) => Boolean(spec.Name);

    /// <summary>The choice value of <paramref name="spec"/>.</summary>
    public string Choice(ParameterSpec spec) => Choice(spec.Name);

    /// <summary>The real value of <paramref name="spec"/> as a TorchSharp <see cref="TorchSharp.Scalar"/> held as long as
    /// these parameters (see <see cref="Scalar(double)"/>).</summary>
    public Scalar Scalar(ParameterSpec spec) => Scalar(Real(spec.Name));

    /// <summary>
    /// <paramref name="value"/> as a TorchSharp <see cref="TorchSharp.Scalar"/> held as long as these parameters (a trial):
    /// an implicit <c>double → Scalar</c> temporary can be finalized while libtorch still reads it (dotnet/TorchSharp#1434),
    /// so plugin maths takes its constants, and constants derived from its parameters (−β, 1 − ε), from here.
    /// </summary>
    public Scalar Scalar(double value) => _scalars.GetOrAdd(value, static v => v.ToScalar());

    private ParameterValue Get(string name) => _values.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"No value for parameter '{name}'; known: {string.Join(", ", _values.Keys)}.");

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={kv.Value}"));
}
