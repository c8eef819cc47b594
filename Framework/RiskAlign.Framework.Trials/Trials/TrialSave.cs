namespace RiskAlign.Framework.Trials;

/// <summary><c>training.save</c>: which trials' trained policies are written as Hugging Face folders.</summary>
public enum TrialSave
{
    /// <summary>None (the default).</summary>
    None,
    /// <summary>Every completed trial's policy after its last step.</summary>
    Last,
    /// <summary>Those of the trials on the sweep's Pareto front (drift minimised, reward maximised) once the sweep is done:
    /// every completed trial writes its last policy, the others' folders are removed when the results are written.</summary>
    Best,
}
