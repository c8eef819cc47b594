using System.Text.Json;

namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>Task choices from settings written as text (as older specs did: numbers and lists as strings), read the way
/// the sweep planner reads them.</summary>
internal static class TestTasks
{
    /// <summary>The settings as a JSON object of strings.</summary>
    public static string Json(IReadOnlyDictionary<string, string>? settings) =>
        JsonSerializer.Serialize(settings ?? new Dictionary<string, string>());

    /// <summary>The choice as the planner hands it to trials (settings read, checked and normalized).</summary>
    public static TaskChoice Choice(string task, IReadOnlyDictionary<string, string>? settings = null) =>
        TaskCatalog.Normalize(new TaskChoice(task, Json(settings)));

    /// <summary>Builds (or takes from the cache) the task on the CPU.</summary>
    public static PreferenceTask Create(string task, IReadOnlyDictionary<string, string>? settings = null) =>
        TaskCatalog.Create(Choice(task, settings), TaskContext.Cpu);
}
