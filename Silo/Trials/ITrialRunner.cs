namespace RiskAlign.Silo.Trials;

/// <summary>Runs one trial to the end on the calling thread: resolves its plugins, builds its task, trains, evaluates.</summary>
public interface ITrialRunner
{
    /// <summary>Never throws for a trial's own failure: that is a <see cref="TrialStatus.Failed"/> result.</summary>
    TrialResult Run(TrialDefinition trial, string device, IProgress<TrialProgress> progress, CancellationToken cancellationToken);
}
