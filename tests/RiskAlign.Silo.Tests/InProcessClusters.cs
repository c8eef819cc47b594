namespace RiskAlign.Silo.Tests;

/// <summary>Tests that start in-process multi-silo clusters run one at a time: started side by side on a busy
/// machine, cluster start-up raced for ports and timed out.</summary>
[CollectionDefinition(Name)]
public sealed class InProcessClusters
{
    public const string Name = "in-process clusters";
}
