namespace RiskAlign.SweepClient.Cluster;

/// <summary>No RiskAlign cluster answered at the address given, within the bounded wait. The message names the
/// address and the clustering mode.</summary>
public sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
