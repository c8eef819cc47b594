
namespace RiskAlign.Framework.Tasks;

/// <summary>Settings of the <c>stories-sentiment</c> task (invariant-culture text, every key optional).</summary>
public sealed record StoriesSentimentSettings
{
    /// <summary>Model, tokenizer, seed, pair counts, lengths and Bradley–Terry scale.</summary>
    public SampledPairSettings Pairs { get; init; } = new();

    /// <summary>The sentiment reward that labels pairs and scores generations: <c>vader</c> (compound, −1..1) or
    /// <c>afinn</c> (sum of word valences).</summary>
    public string Reward { get; init; } = "vader";

    /// <summary>Every setting name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. SampledPairSettings.Names, "reward"];

    /// <summary>Parses settings; an unknown key or bad value throws <see cref="ArgumentException"/> naming it.</summary>
    public static StoriesSentimentSettings Parse(IReadOnlyDictionary<string, string>? settings)
    {
        var result = new StoriesSentimentSettings();
        foreach (var (name, raw) in settings ?? new Dictionary<string, string>())
        {
            var setting = new TaskSetting(StoriesSentimentTask.TaskName, name, raw);
            result = name == "reward"
                ? result with { Reward = setting.OneOf("vader", "afinn") }
                : result with { Pairs = result.Pairs.TryApply(setting) ?? throw setting.Unknown(Names) };
        }
        return result;
    }

    /// <summary>Canonical text of every value (cache key of built tasks).</summary>
    public string CacheKey => Pairs.CacheKey + ";" + Reward;
}
