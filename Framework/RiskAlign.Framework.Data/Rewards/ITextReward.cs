namespace RiskAlign.Framework.Rewards;

/// <summary>A reward computed from text alone (for example a sentiment score of a generated continuation).</summary>
public interface ITextReward
{
    /// <summary>Short name used in metric names, for example <c>vader</c>.</summary>
    string Name { get; }

    /// <summary>The reward of <paramref name="text"/>; higher is better. Deterministic and thread-safe.</summary>
    double Score(string text);
}
