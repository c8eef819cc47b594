using System.Globalization;
using System.Text.Json;

namespace RiskAlign.Framework.Models.Checkpoints;

/// <summary>
/// The config.json keys one architecture reads (<see cref="ConfigKey"/>: key → field, default, supported values).
/// <see cref="Read"/> checks every listed key that is present and refuses unsupported values; keys not listed do not
/// change the maths (e.g. <c>architectures</c>, <c>torch_dtype</c>, <c>use_cache</c>, <c>initializer_range</c>).
/// </summary>
public sealed class ConfigTable(string architecture, IReadOnlyList<ConfigKey> keys)
{
    /// <summary>The architecture's name in messages (e.g. "Llama").</summary>
    public string Architecture { get; } = architecture;

    /// <summary>The keys, in documentation order.</summary>
    public IReadOnlyList<ConfigKey> Keys { get; } = keys;

    /// <summary>The checked values of <paramref name="json"/>; throws <see cref="NotSupportedException"/> for an
    /// unsupported value and <see cref="InvalidDataException"/> for a missing required key, naming file and key.</summary>
    public ConfigValues Read(string configPath, JsonElement json)
    {
        foreach (var key in Keys)
        {
            bool present = json.TryGetProperty(key.Key, out var value);
            if (!present)
            {
                if (key.Required) throw new InvalidDataException($"{configPath}: required field \"{key.Key}\" ({Architecture} {key.Field}) is missing.");
                continue;
            }
            if (key.Accepts is not null && !key.Accepts(value))
                throw new NotSupportedException(
                    $"{configPath}: \"{key.Key}\" = {value.GetRawText()} is not supported for {Architecture}; supported: {key.Supported}.");
        }
        return new ConfigValues(configPath, json, this);
    }

    /// <summary>The table as Markdown rows (<c>| key | field | default | supported |</c>), for the README.</summary>
    public string ToMarkdown() =>
        "| key | field | default | supported |\n|---|---|---|---|\n" + string.Concat(Keys.Select(k =>
            $"| `{k.Key}` | {k.Field} | {(k.Required ? "required" : Format(k.Default!))} | {k.Supported} |\n"));

    private static string Format(object value) => value switch
    {
        ConfigDefault.Absent => "absent",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        string s when s.StartsWith('=') => s[1..].Trim(),
        string s => $"\"{s}\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}

/// <summary>Defaults that are not a value.</summary>
public enum ConfigDefault
{
    /// <summary>Absent means the feature is off (e.g. no rope scaling).</summary>
    Absent,
}

/// <summary>Typed values of a config.json, with the defaults of its <see cref="ConfigTable"/>.</summary>
public readonly record struct ConfigValues(string ConfigPath, JsonElement Json, ConfigTable Table)
{
    private ConfigKey Key(string key) => Table.Keys.FirstOrDefault(k => k.Key == key)
        ?? throw new InvalidOperationException($"{Table.Architecture}'s config table has no key \"{key}\".");

    /// <summary>The value of <paramref name="key"/> when present and not null.</summary>
    public bool TryGet(string key, out JsonElement value)
    {
        Key(key);
        return Json.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>An integer field (the table's default when absent or null).</summary>
    public int Int(string key) => TryGet(key, out var v)
        ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw WrongKind(key, v, "an integer")
        : Convert.ToInt32(Default(key), CultureInfo.InvariantCulture);

    /// <summary>An integer field whose default is another field's value (e.g. num_key_value_heads = num_attention_heads).</summary>
    public int Int(string key, int fallback) => TryGet(key, out _) ? Int(key) : fallback;

    /// <summary>An integer field that may be absent or null (null then).</summary>
    public int? OptionalInt(string key) => TryGet(key, out _) ? Int(key) : Default(key) is int i ? i : null;

    /// <summary>A real field.</summary>
    public double Double(string key) => TryGet(key, out var v)
        ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw WrongKind(key, v, "a number")
        : Convert.ToDouble(Default(key), CultureInfo.InvariantCulture);

    /// <summary>A boolean field.</summary>
    public bool Bool(string key) => TryGet(key, out var v)
        ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw WrongKind(key, v, "true or false")
        : (bool)Default(key);

    /// <summary>A string field.</summary>
    public string String(string key) => TryGet(key, out var v)
        ? v.ValueKind == JsonValueKind.String ? v.GetString()! : throw WrongKind(key, v, "a string")
        : (string)Default(key);

    private object Default(string key) => Key(key).Default
        ?? throw new InvalidDataException($"{ConfigPath}: required field \"{key}\" is missing or null.");

    private InvalidDataException WrongKind(string key, JsonElement v, string expected) =>
        new($"{ConfigPath}: \"{key}\" = {v.GetRawText()} is not {expected}.");
}
