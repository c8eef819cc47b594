using RiskAlign.Framework.Reports;

namespace RiskAlign.SweepClient.Running;

/// <summary>Rewrites trials.csv and history.csv each time another trial finishes, so results survive a crash of the client.</summary>
internal sealed class IncrementalResults(string outDir)
{
    private int _written = -1;

    public void Update(SweepSnapshot snapshot)
    {
        if (snapshot.Finished == _written) return;
        var results = snapshot.Trials.Select(t => t.Result).OfType<TrialResult>().ToList();
        TrialsCsvWriter.Write(Path.Combine(outDir, "trials.csv"), results);
        HistoryCsvWriter.Write(Path.Combine(outDir, "history.csv"), results);
        _written = snapshot.Finished;
    }
}
