using System.ComponentModel.DataAnnotations;

namespace RiskAlign.Framework.Tasks;

/// <summary>Settings of the <c>stories-sentiment</c> task (every key optional): the sampled-pair settings
/// (<see cref="SampledPairSettings"/>) and the reward. A new setting is a property here.</summary>
public sealed record StoriesSentimentSettings : SampledPairSettings
{
    /// <summary>The sentiment reward that labels pairs and scores generations: <c>vader</c> (compound, −1..1) or
    /// <c>afinn</c> (sum of word valences).</summary>
    [AllowedValues("vader", "afinn")] public string Reward { get; init; } = "vader";
}
