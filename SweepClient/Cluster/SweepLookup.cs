namespace RiskAlign.SweepClient.Cluster;

/// <summary>Finds a sweep by id on a connected cluster.</summary>
internal static class SweepLookup
{
    /// <summary>The sweep's current snapshot; an id the cluster never started is <see cref="UnknownSweepException"/>.</summary>
    public static async Task<(ISweepGrain Sweep, SweepSnapshot Snapshot)> FindAsync(ClusterConnection cluster, string sweepId)
    {
        var sweep = cluster.Client.GetGrain<ISweepGrain>(sweepId);
        var snapshot = await sweep.GetSnapshot();
        if (snapshot.Status == SweepStatus.NotStarted && snapshot.Trials.Count == 0)
            throw new UnknownSweepException(sweepId, cluster.Description);
        return (sweep, snapshot);
    }
}
