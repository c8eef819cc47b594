namespace RiskAlign.SweepClient.Cluster;

/// <summary>The cluster knows no sweep by this id.</summary>
public sealed class UnknownSweepException(string sweepId, string where)
    : Exception($"No sweep '{sweepId}' on the {where}; `list` shows the sweeps it knows.");
