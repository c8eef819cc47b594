using System.Text.Json;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The preference tasks a sweep can name: for each, its settings record (<see cref="TaskSettings"/>) and the build
/// that turns settings into a <see cref="TaskWorld"/>. A new task is a settings record, a build function and one line
/// here; a new setting is a property of the task's settings record and nothing else.
/// </summary>
public static class TaskCatalog
{
    private sealed record Entry(Type SettingsType, Func<string, TaskSettings, TaskContext, TaskWorld> Build);

    private static Entry For<TSettings>(Func<string, TSettings, TaskContext, TaskWorld> build) where TSettings : TaskSettings =>
        new(typeof(TSettings), (name, settings, context) => build(name, (TSettings)settings, context));

    private static readonly IReadOnlyDictionary<string, Entry> Entries = new Dictionary<string, Entry>(StringComparer.Ordinal)
    {
        // Ground truth known: a tiny SFT'd transformer (or, with 'model', a pretrained model) as reference,
        // Bradley–Terry pairs on a known reward; exact kl/true and reward/true.
        [SyntheticPreferenceTask.TaskName] = For<SyntheticTaskSettings>((_, s, c) => SyntheticPreferenceTask.Build(s, c)),
        // Anthropic HH-RLHF test pairs on a pretrained reference; front = held-out rewards/accuracies vs kl/seq_chosen.
        [HhRlhfTask.TaskName] = For<HhRlhfSettings>((name, s, c) => HhRlhfTask.Build(s, c, name)),
        // The same on the user's own pairs ('data' files, 'format' hh-rlhf | sharegpt | jsonl).
        [HhRlhfTask.OwnDataTaskName] = For<HhRlhfSettings>((name, s, c) => HhRlhfTask.Build(s, c, name)),
        // The DPO paper's controlled-sentiment task on stories260K; front = reward/true vs kl/true of the policy's continuations.
        [StoriesSentimentTask.TaskName] = For<StoriesSentimentSettings>((_, s, c) => StoriesSentimentTask.Build(s, c)),
        // The WDPO paper's preference-shift experiment; reward/alpha=x across mixes vs kl/true.
        [EmotionShiftTask.TaskName] = For<EmotionShiftSettings>((_, s, c) => EmotionShiftTask.Build(s, c)),
        // The DPO/Ra-DPO papers' IMDb experiment: a GPT-2-shaped reference SFT'd on IMDb, pairs labelled on classifier sentiment.
        [ImdbSentimentTask.TaskName] = For<ImdbSentimentSettings>((_, s, c) => ImdbSentimentTask.Build(s, c)),
    };

    // Builds are expensive (reference SFT, sampled pairs, classifiers): one per task, settings, device and assets folder.
    private static readonly TaskBuildCache<TaskWorld> Builds = new();

    /// <summary>Task names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = Entries.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>The settings record of a task.</summary>
    /// <exception cref="ArgumentException">Unknown task (the message lists the known ones).</exception>
    public static Type SettingsType(string name) => Find(name).SettingsType;

    /// <summary>
    /// Reads and checks a task's settings as the user wrote them (the edge: the sweep planner calls this once) and
    /// returns the choice with its settings normalized: every key, defaults filled in, lists as arrays.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown task; <see cref="TaskSettingsException"/> for a bad setting.</exception>
    public static TaskChoice Normalize(TaskChoice task)
    {
        var settings = TaskSettingsReader.Read(Find(task.Name).SettingsType, task.Name, task.Settings);
        return task with { Settings = TaskSettingsReader.Normalize(settings) };
    }

    /// <summary>The typed settings of a choice the planner normalized.</summary>
    public static TaskSettings Settings(TaskChoice task) =>
        TaskSettingsReader.FromNormalized(Find(task.Name).SettingsType, task.Name, task.Settings);

    /// <summary>Builds (or takes from the in-process cache) the task a trial names; the caller disposes it.</summary>
    /// <exception cref="ArgumentException">Unknown task, or a build that fails on the user's files (missing model, too few pairs).</exception>
    public static PreferenceTask Create(TaskChoice task, TaskContext context)
    {
        var entry = Find(task.Name);
        var settings = TaskSettingsReader.FromNormalized(entry.SettingsType, task.Name, task.Settings);
        string key = $"{task.Name}|{TaskSettingsReader.Normalize(settings)}|{context.Device}|{context.AssetsFolder}";
        var world = Builds.GetOrBuild(key, () => entry.Build(task.Name, settings, context));
        return new PreferenceTask(task.Name, world, context.Device);
    }

    /// <summary>Builds without the cache (determinism tests).</summary>
    internal static PreferenceTask CreateUncached(TaskChoice task, TaskContext context)
    {
        var entry = Find(task.Name);
        return new PreferenceTask(task.Name, entry.Build(task.Name, Settings(task), context), context.Device);
    }

    private static Entry Find(string name) =>
        Entries.TryGetValue(name, out var entry)
            ? entry
            : throw new ArgumentException($"Unknown task '{name}'; known tasks: {string.Join(", ", Names)}.");
}
