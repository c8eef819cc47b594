using RiskAlign.Framework.Plugins;

namespace RiskAlign.Framework.Training;

/// <summary>The loss, a gradient or a metric became NaN or infinite; the trial stops as Diverged.</summary>
internal sealed class TrainingDivergedException(string message) : Exception(message);
