namespace RiskAlign.SweepClient.Cluster;

/// <summary>No RiskAlign cluster answered: at connect time (the message names the address and clustering mode), or
/// for the client's whole reconnect wait while it followed a sweep (the sweep may still run there).</summary>
public sealed class ClusterUnreachableException : Exception
{
    public ClusterUnreachableException(string message, Exception? inner = null) : base(message, inner) { }

    public ClusterUnreachableException(TimeSpan waited, Exception last)
        : base($"the cluster did not answer for {waited.TotalSeconds:F0} s (last error: {last.GetType().Name}: {last.Message.ReplaceLineEndings(" ")}); " +
               "the sweep keeps running on the surviving silos and its results stay in the cluster's storage.", last) { }
}
