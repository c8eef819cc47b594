namespace RiskAlign.SweepClient.Cluster;

/// <summary>The cluster did not answer for the client's whole reconnect wait; the sweep may still run there.</summary>
public sealed class ClusterUnreachableException(TimeSpan waited, Exception last)
    : Exception($"the cluster did not answer for {waited.TotalSeconds:F0} s (last error: {last.GetType().Name}: {last.Message.ReplaceLineEndings(" ")}); " +
                "the sweep keeps running on the surviving silos and its results stay in the cluster's storage.", last);
