using RiskAlign.Framework.Trials;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The preference tasks a sweep can name, by name. <c>synthetic</c> is built in; other tasks (stories260K,
/// hh-rlhf, ...) add themselves with <see cref="Register"/>.
/// </summary>
public static class TaskCatalog
{
    private sealed record Entry(string Description, Action<IReadOnlyDictionary<string, string>> Validate,
        Func<TaskChoice, TaskContext, IPreferenceTask> Create);

    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal)
    {
        [SyntheticPreferenceTask.TaskName] = new Entry(
            "Ground-truth synthetic task: a tiny SFT'd transformer (or, with 'model', a pretrained model such as stories260K) as reference, Bradley–Terry pairs on a known reward; exact kl/true and reward/true.",
            settings => SyntheticTaskSettings.Parse(settings),
            (task, context) => SyntheticPreferenceTask.Create(SyntheticTaskSettings.Parse(task.Settings), context.Device, context.AssetsFolder)),
        [HhRlhfTask.TaskName] = new Entry(
            "Anthropic HH-RLHF test pairs on a pretrained reference (stories260K by default); front = held-out rewards/accuracies vs kl/seq_chosen.",
            settings => HhRlhfSettings.Parse(settings),
            (task, context) => HhRlhfTask.Create(HhRlhfSettings.Parse(task.Settings), context.Device, context.AssetsFolder)),
        [HhRlhfTask.OwnDataTaskName] = new Entry(
            "Your own preference pairs ('data': file(s), 'format': hh-rlhf | sharegpt | jsonl) on a pretrained reference; front = held-out rewards/accuracies vs kl/seq_chosen.",
            settings => HhRlhfSettings.Parse(settings, HhRlhfTask.OwnDataTaskName),
            (task, context) => HhRlhfTask.Create(HhRlhfSettings.Parse(task.Settings, HhRlhfTask.OwnDataTaskName), context.Device, context.AssetsFolder, HhRlhfTask.OwnDataTaskName)),
        [StoriesSentimentTask.TaskName] = new Entry(
            "The DPO paper's controlled-sentiment task on stories260K: story openings, Bradley–Terry pairs on VADER (or AFINN) sentiment; front = reward/true vs exact kl/true of the policy's continuations.",
            settings => StoriesSentimentSettings.Parse(settings),
            (task, context) => StoriesSentimentTask.Create(StoriesSentimentSettings.Parse(task.Settings), context.Device, context.AssetsFolder)),
        [EmotionShiftTask.TaskName] = new Entry(
            "The WDPO paper's preference-shift experiment: stories260K fine-tuned on emotion texts, pairs labelled by α₀·anger + (1−α₀)·fear of an emotion classifier; reward/alpha=x across mixes vs kl/true.",
            settings => EmotionShiftSettings.Parse(settings),
            (task, context) => EmotionShiftTask.Create(EmotionShiftSettings.Parse(task.Settings), context.Device, context.AssetsFolder)),
    };

    /// <summary>Registered task names, sorted.</summary>
    public static IReadOnlyList<string> Names
    {
        get { lock (Entries) return Entries.Keys.Order(StringComparer.Ordinal).ToArray(); }
    }

    /// <summary>One line describing a task.</summary>
    public static string Describe(string name) => Find(name).Description;

    /// <summary>Adds (or replaces) a task.</summary>
    /// <param name="name">Name in sweep specs.</param>
    /// <param name="description">One line for listings.</param>
    /// <param name="validate">Throws <see cref="ArgumentException"/> naming the bad setting; must not build anything.</param>
    /// <param name="create">Builds the task (may use a cache; each call returns an instance the caller disposes).</param>
    public static void Register(string name, string description, Action<IReadOnlyDictionary<string, string>> validate,
        Func<TaskChoice, TaskContext, IPreferenceTask> create)
    {
        lock (Entries) Entries[name] = new Entry(description, validate, create);
    }

    /// <summary>Checks the task name and settings without building anything (for spec validation before a sweep runs).</summary>
    /// <exception cref="ArgumentException">Unknown task (the message lists the known ones) or a bad setting.</exception>
    public static void Validate(TaskChoice task) => Find(task.Name).Validate(task.Settings);

    /// <summary>Builds the task a trial names; the caller disposes it.</summary>
    /// <exception cref="ArgumentException">Unknown task (the message lists the known ones) or a bad setting.</exception>
    public static IPreferenceTask Create(TaskChoice task, TaskContext context) => Find(task.Name).Create(task, context);

    private static Entry Find(string name)
    {
        lock (Entries)
            return Entries.TryGetValue(name, out var entry)
                ? entry
                : throw new ArgumentException($"Unknown task '{name}'; known tasks: {string.Join(", ", Entries.Keys.Order(StringComparer.Ordinal))}.");
    }
}
