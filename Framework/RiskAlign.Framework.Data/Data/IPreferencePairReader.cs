namespace RiskAlign.Framework.Data;

/// <summary>A reader of text preference pairs that counts what it read, kept and dropped.</summary>
public interface IPreferencePairReader : IDatasetReader<TextPreferencePair>
{
    /// <summary>Counts of the latest (or current) enumeration.</summary>
    PreferenceReadStatistics Statistics { get; }
}
