namespace RiskAlign.Framework.Sweeps;

/// <summary>
/// A sweep spec a user wrote is wrong. The message is one line naming the file, the JSON path
/// (for example <c>arms[1].loss.params.alpha</c>) and what was expected.
/// </summary>
public sealed class SweepSpecException(string message, Exception? inner = null) : Exception(message, inner);
