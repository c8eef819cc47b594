using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Reads a task's <c>task.settings</c> JSON object into its <see cref="TaskSettings"/> record, once, when the planner
/// expands a spec: unknown keys are refused with the list of valid ones, each value is checked against the property's
/// type and attributes, and every error names the task, the key, what was expected and what was given. Setting
/// names, checks, the normalized JSON a trial carries and the cache key of built tasks all come from the record.
/// A list setting is a JSON array; the older comma-separated string (<c>"0, 0.5, 1"</c>) is still read as a list.
/// </summary>
public static class TaskSettingsReader
{
    /// <summary>How settings records map to JSON: snake_case keys, numbers also accepted as strings (older specs),
    /// unknown keys refused, unset optional values left out.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The keys <paramref name="settingsType"/> accepts, in declaration order (base record's last).</summary>
    public static IReadOnlyList<string> Names(Type settingsType) => Properties(settingsType).Select(p => p.Json.Name).ToArray();

    /// <summary>Reads and checks the settings of <paramref name="task"/>; every key is optional.</summary>
    /// <exception cref="TaskSettingsException">An unknown key, a value of the wrong type or out of range, or settings that
    /// do not fit together.</exception>
    public static TaskSettings Read(Type settingsType, string task, JsonElement settings)
    {
        var properties = Properties(settingsType);
        var given = new JsonObject();
        if (settings.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            if (settings.ValueKind != JsonValueKind.Object)
                throw new ArgumentException($"Task '{task}': settings must be a JSON object, got {settings.ValueKind}.");
            foreach (var field in settings.EnumerateObject())
            {
                var property = properties.FirstOrDefault(p => p.Json.Name == field.Name)
                    ?? throw new TaskSettingsException(task, field.Name,
                        $"has no setting '{field.Name}'; known settings: {string.Join(", ", properties.Select(p => p.Json.Name))}.");
                var node = CommaListAsArray(property, field.Value) ?? JsonNode.Parse(field.Value.GetRawText());
                object? value;
                try { value = node.Deserialize(property.Json.PropertyType, Options); }
                catch (JsonException) { throw Invalid(task, field.Name, Expected(property), Given(field.Value)); }
                if (Problem(property, value) is not null) throw Invalid(task, field.Name, Expected(property), Given(field.Value));
                given[field.Name] = node;
            }
        }
        var result = (TaskSettings)given.Deserialize(settingsType, Options)!;
        if (result.CheckTogether() is { } together) throw Invalid(task, together.Setting, together.Expected, Convert.ToString(together.Given, CultureInfo.InvariantCulture) ?? "");
        return result;
    }

    /// <summary>Reads the settings of <paramref name="task"/> from JSON text (see <see cref="Read(Type, string, JsonElement)"/>).</summary>
    public static TaskSettings Read(Type settingsType, string task, string settingsJson)
    {
        using var document = JsonDocument.Parse(settingsJson);
        return Read(settingsType, task, document.RootElement);
    }

    /// <summary>The settings as a JSON object with every key, defaults included: what a trial carries, and the cache key of
    /// built tasks (equal text = equal settings, and a new property is part of it with no further change).</summary>
    public static string Normalize(TaskSettings settings) => JsonSerializer.Serialize(settings, settings.GetType(), Options);

    /// <summary>Settings that <see cref="Normalize"/> wrote (checked once already, by the planner).</summary>
    /// <exception cref="InvalidOperationException">The text did not come from <see cref="Normalize"/>: a programming error.</exception>
    public static TaskSettings FromNormalized(Type settingsType, string task, string settingsJson)
    {
        try
        {
            return (TaskSettings?)JsonSerializer.Deserialize(settingsJson, settingsType, Options)
                ?? throw new InvalidOperationException($"Task '{task}': settings are null.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Task '{task}': settings {settingsJson} were not checked by TaskCatalog.Normalize (the sweep planner): {e.Message}", e);
        }
    }

    private sealed record Setting(JsonPropertyInfo Json, PropertyInfo Clr);

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return options;
    }

    private static Setting[] Properties(Type settingsType) => Options.GetTypeInfo(settingsType).Properties
        .Where(p => p.Set is not null && p.AttributeProvider is PropertyInfo)
        .Select(p => new Setting(p, (PropertyInfo)p.AttributeProvider!))
        .ToArray();

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(IReadOnlyList<>) || d == typeof(List<>) || d == typeof(IList<>))
            ? type.GetGenericArguments()[0] : null;

    // "0, 0.5, 1" for a list setting: the format before lists were JSON arrays.
    private static JsonNode? CommaListAsArray(Setting property, JsonElement value) =>
        ElementType(property.Json.PropertyType) is not null && value.ValueKind == JsonValueKind.String
            ? new JsonArray(value.GetString()!.Split(',', StringSplitOptions.TrimEntries).Select(part => (JsonNode?)JsonValue.Create(part)).ToArray())
            : null;

    // Null when the value satisfies the property's attributes, else a non-null marker.
    private static string? Problem(Setting property, object? value)
    {
        if (value is null) return property.Clr.PropertyType.IsValueType ? "null" : null;
        if (value is string text)
        {
            if (property.Clr.GetCustomAttribute<MinLengthAttribute>() is { } minLength && text.Trim().Length < minLength.Length) return "short";
            if (property.Clr.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed && !allowed.Values.Contains(text)) return "not allowed";
            return null;
        }
        if (value is IEnumerable list and not string)
        {
            var items = list.Cast<object?>().ToArray();
            if (items.Length == 0) return "empty";
            return items.Select(item => ScalarProblem(property, item)).FirstOrDefault(p => p is not null);
        }
        return ScalarProblem(property, value);
    }

    private static string? ScalarProblem(Setting property, object? value)
    {
        if (value is string s) return s.Trim().Length == 0 ? "empty" : null;
        if (value is not (int or long or double)) return null;
        double x = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (!double.IsFinite(x)) return "not finite";
        if (property.Clr.GetCustomAttribute<RangeAttribute>() is not { } range) return null;
        double min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture), max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        bool aboveMin = range.MinimumIsExclusive ? x > min : x >= min, belowMax = range.MaximumIsExclusive ? x < max : x <= max;
        return aboveMin && belowMax ? null : "out of range";
    }

    /// <summary>What the property accepts, in words, from its type and attributes.</summary>
    private static string Expected(Setting property)
    {
        var type = property.Json.PropertyType;
        var element = ElementType(type);
        if (element is not null)
            return $"a list of {Scalar(Nullable.GetUnderlyingType(element) ?? element, property, plural: true)} (a JSON array; a comma-separated string is also read)";
        return Scalar(Nullable.GetUnderlyingType(type) ?? type, property, plural: false);
    }

    private static string Scalar(Type type, Setting property, bool plural)
    {
        var range = property.Clr.GetCustomAttribute<RangeAttribute>();
        if (type == typeof(string))
        {
            if (property.Clr.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed) return "one of " + string.Join(", ", allowed.Values);
            return plural ? "non-empty strings" : "a non-empty string";
        }
        string noun = type == typeof(int) || type == typeof(long) ? (plural ? "integers" : "an integer") : (plural ? "numbers" : "a real number");
        if (range is null) return noun;
        double min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture), max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        bool unbounded = double.IsPositiveInfinity(max) || max >= int.MaxValue;
        if (unbounded) return $"{noun} {(range.MinimumIsExclusive ? ">" : ">=")} {Format(min)}";
        return $"{noun} in {(range.MinimumIsExclusive ? "(" : "[")}{Format(min)}, {Format(max)}{(range.MaximumIsExclusive ? ")" : "]")}";
    }

    private static string Given(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static TaskSettingsException Invalid(string task, string setting, string expected, string given) =>
        new(task, setting, $"setting '{setting}': expected {expected}, got '{given}'.");

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
