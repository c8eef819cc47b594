using System.Text.Json;

namespace RiskAlign.Framework.Models.Checkpoints;

/// <summary>RoPE settings read from a config.json, whichever way it stores them.</summary>
public sealed record RopeSettings(double Theta, double PartialRotaryFactor, RopeScaling? Scaling);

/// <summary>
/// Reads RoPE settings from both formats transformers has written: transformers 5's <c>rope_parameters</c>
/// (<c>{"rope_theta", "partial_rotary_factor", "rope_type", "factor", …}</c>) and the older top-level keys
/// (<c>rope_theta</c> or GPT-NeoX's <c>rotary_emb_base</c>, GPT-NeoX's <c>rotary_pct</c>, and <c>rope_scaling</c>
/// with <c>rope_type</c> or <c>type</c>). Where both give a value they must agree. Unsupported types and keys are refused.
/// </summary>
public static class HuggingFaceRope
{
    /// <summary>The keys of a <c>rope_parameters</c> / <c>rope_scaling</c> object each rope type uses.</summary>
    private static readonly Dictionary<RopeType, string[]> KeysOf = new()
    {
        [RopeType.Default] = ["rope_type", "type", "rope_theta", "partial_rotary_factor"],
        [RopeType.Linear] = ["rope_type", "type", "rope_theta", "partial_rotary_factor", "factor"],
        [RopeType.Llama3] = ["rope_type", "type", "rope_theta", "partial_rotary_factor", "factor", "low_freq_factor", "high_freq_factor", "original_max_position_embeddings"],
    };

    /// <summary>
    /// The settings in <paramref name="values"/>: <paramref name="thetaKey"/> / <paramref name="partialKey"/> are the
    /// architecture's old top-level keys (partialKey null: none), <paramref name="allowed"/> the rope types it supports.
    /// </summary>
    public static RopeSettings Read(ConfigValues values, string thetaKey, string? partialKey, IReadOnlyCollection<RopeType> allowed)
    {
        string path = values.ConfigPath, arch = values.Table.Architecture;
        JsonElement? parameters = values.TryGet("rope_parameters", out var p) ? p : null;
        JsonElement? legacy = values.TryGet("rope_scaling", out var s) ? s : null;
        foreach (var (name, element) in new[] { ("rope_parameters", parameters), ("rope_scaling", legacy) })
            if (element is { } e && e.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path}: \"{name}\" = {e.GetRawText()} is not an object.");

        double theta = Agree(path, "rope_theta", Number(parameters, "rope_theta", path), values.TryGet(thetaKey, out _) ? values.Double(thetaKey) : null, thetaKey)
            ?? values.Double(thetaKey);
        double partial = Agree(path, "partial_rotary_factor", Number(parameters, "partial_rotary_factor", path),
            partialKey is not null && values.TryGet(partialKey, out _) ? values.Double(partialKey) : null, partialKey ?? "")
            ?? (partialKey is null ? 1.0 : values.Double(partialKey));

        // the object that carries the scaling: rope_parameters (transformers 5) or rope_scaling (older)
        var scalingObject = parameters ?? legacy;
        if (parameters is not null && legacy is not null && Type(parameters.Value, path, "rope_parameters") != Type(legacy.Value, path, "rope_scaling"))
            throw new NotSupportedException($"{path}: \"rope_parameters\" and \"rope_scaling\" disagree on the rope type; give one of them.");
        if (scalingObject is not { } scaling) return new RopeSettings(theta, partial, null);
        string objectName = parameters is not null ? "rope_parameters" : "rope_scaling";
        string typeName = Type(scaling, path, objectName);
        RopeType? type = typeName switch { "default" => RopeType.Default, "linear" => RopeType.Linear, "llama3" => RopeType.Llama3, _ => null };
        string supported = string.Join(", ", allowed.Select(t => t.ToString().ToLowerInvariant()));
        if (type is not { } known || !allowed.Contains(known))
            throw new NotSupportedException($"{path}: \"{objectName}\" rope_type \"{typeName}\" is not supported for {arch}; supported rope types: {supported}.");
        foreach (var property in scaling.EnumerateObject())
            if (!KeysOf[known].Contains(property.Name) && property.Value.ValueKind != JsonValueKind.Null)
                throw new NotSupportedException(
                    $"{path}: \"{objectName}\" key \"{property.Name}\" = {property.Value.GetRawText()} is not supported with rope_type \"{typeName}\"; its keys: {string.Join(", ", KeysOf[known])}.");
        if (known == RopeType.Default) return new RopeSettings(theta, partial, null);
        double Need(string key) => Number(scaling, key, path) ?? throw new InvalidDataException($"{path}: \"{objectName}\" of rope_type \"{typeName}\" needs \"{key}\".");
        var result = known == RopeType.Linear
            ? new RopeScaling(known, Need("factor"))
            : new RopeScaling(known, Need("factor"), Need("low_freq_factor"), Need("high_freq_factor"), (int)Need("original_max_position_embeddings"));
        if (result.Factor <= 0 || (known == RopeType.Llama3 && !(result.HighFreqFactor > result.LowFreqFactor && result.LowFreqFactor > 0)))
            throw new InvalidDataException($"{path}: \"{objectName}\" {scaling.GetRawText()}: factor must be > 0 and high_freq_factor > low_freq_factor > 0.");
        return new RopeSettings(theta, partial, result);
    }

    private static string Type(JsonElement scaling, string path, string objectName)
    {
        foreach (var key in new[] { "rope_type", "type" })
            if (scaling.TryGetProperty(key, out var t) && t.ValueKind == JsonValueKind.String) return t.GetString()!;
        if (objectName == "rope_parameters") return "default";
        throw new InvalidDataException($"{path}: \"{objectName}\" has no \"rope_type\".");
    }

    private static double? Number(JsonElement? element, string key, string path)
    {
        if (element is not { } e || !e.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw new InvalidDataException($"{path}: \"{key}\" = {v.GetRawText()} is not a number.");
    }

    private static double? Agree(string path, string newKey, double? fromParameters, double? fromOldKey, string oldKey)
    {
        if (fromParameters is { } a && fromOldKey is { } b && Math.Abs(a - b) > 1e-9 * Math.Max(1, Math.Abs(a)))
            throw new NotSupportedException($"{path}: rope_parameters.{newKey} = {a} and \"{oldKey}\" = {b} disagree; give one of them.");
        return fromParameters ?? fromOldKey;
    }
}
