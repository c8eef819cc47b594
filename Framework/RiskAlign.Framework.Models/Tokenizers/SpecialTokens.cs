using System.Text.Json;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>
/// BOS and EOS as transformers decides them: ids of <c>tokenizer_config.json</c>'s <c>bos_token</c> / <c>eos_token</c>
/// (a string or <c>{"content": …}</c>), and whether encoding adds them (<c>add_bos_token</c> / <c>add_eos_token</c>;
/// when absent, the tokenizer.json post-processor's template, else the format's own default).
/// </summary>
public sealed record SpecialTokens(int? BosId, int? EosId, bool AddBos, bool AddEos)
{
    /// <summary>
    /// The special tokens of the tokenizer in <paramref name="folder"/>: <paramref name="defaults"/> (the format's
    /// convention), overridden by what tokenizer_config.json says. <paramref name="idOf"/> maps a token's text to its id.
    /// </summary>
    public static SpecialTokens Read(string folder, SpecialTokens defaults, Func<string, int?> idOf)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) return defaults;
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message}).", e); }
        using var _ = document;
        var root = document.RootElement;
        int? Token(string key, int? fallback)
        {
            if (!root.TryGetProperty(key, out var value)) return fallback;
            if (value.ValueKind == JsonValueKind.Null) return null;
            string? text = value.ValueKind == JsonValueKind.String ? value.GetString()
                : value.ValueKind == JsonValueKind.Object && value.TryGetProperty("content", out var c) ? c.GetString() : null;
            if (text is null) throw new InvalidDataException($"{path}: \"{key}\" = {value.GetRawText()} is neither a string nor {{\"content\": …}}.");
            return idOf(text) ?? throw new InvalidDataException($"{path}: \"{key}\" \"{text}\" is not in the tokenizer's vocabulary.");
        }
        bool Flag(string key, bool fallback) => root.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean() : fallback;
        var bos = Token("bos_token", defaults.BosId);
        var eos = Token("eos_token", defaults.EosId);
        bool addBos = Flag("add_bos_token", defaults.AddBos), addEos = Flag("add_eos_token", defaults.AddEos);
        if (addBos && bos is null) throw new InvalidDataException($"{path}: add_bos_token is true but there is no bos_token.");
        if (addEos && eos is null) throw new InvalidDataException($"{path}: add_eos_token is true but there is no eos_token.");
        return new SpecialTokens(bos, eos, addBos, addEos);
    }

    /// <summary>The ids of a text preceded by BOS when <paramref name="addBos"/> and there is one. EOS is appended
    /// separately, to complete texts only (<see cref="TextTokenizerExtensions.EncodeCompleteText"/>).</summary>
    public List<int> Wrap(IEnumerable<int> ids, bool addBos)
    {
        var result = new List<int>();
        if (addBos && BosId is int bos) result.Add(bos);
        result.AddRange(ids);
        return result;
    }
}
