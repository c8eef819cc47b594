namespace RiskAlign.Framework.Tasks;

/// <summary>A <c>task.settings</c> entry a task does not accept; <see cref="Setting"/> is its key, so the planner can name
/// the JSON path (<c>task.settings.&lt;key&gt;</c>).</summary>
public sealed class TaskSettingsException(string task, string setting, string message)
    : ArgumentException($"Task '{task}' {message}")
{
    /// <summary>The task.</summary>
    public string Task { get; } = task;

    /// <summary>The key of the bad entry.</summary>
    public string Setting { get; } = setting;
}
