using System.Text.Json;

namespace RiskAlign.Framework.Models.Checkpoints;

/// <summary>
/// Typed reads of a Hugging Face <c>config.json</c>: optional fields fall back to the architecture's default, a
/// required field that is missing or of the wrong kind is an <see cref="InvalidDataException"/> naming the file and field.
/// </summary>
internal readonly record struct HuggingFaceConfigJson(string ConfigPath, JsonElement Json)
{
    /// <summary>An integer field; required when <paramref name="fallback"/> is null.</summary>
    public int Int(string field, int? fallback = null) =>
        Json.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32()
        : fallback ?? throw new InvalidDataException($"{ConfigPath}: required field \"{field}\" is missing or not a number.");

    /// <summary>A real field, or <paramref name="fallback"/>.</summary>
    public double Double(string field, double fallback) =>
        Json.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    /// <summary>A boolean field, or <paramref name="fallback"/>.</summary>
    public bool Bool(string field, bool fallback) =>
        Json.TryGetProperty(field, out var v) && (v.ValueKind == JsonValueKind.True || v.ValueKind == JsonValueKind.False) ? v.GetBoolean() : fallback;

    /// <summary>A string field, or <paramref name="fallback"/>.</summary>
    public string String(string field, string fallback) =>
        Json.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { } s ? s : fallback;
}
