using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using RiskAlign.Framework.Assets;
using RiskAlign.Framework.Data;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Rewards;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The preference tasks a sweep can name: for each, its settings record (<see cref="TaskSettings"/>) and the build
/// that turns settings into a <see cref="TaskWorld"/>. A new task is a settings record, a build function and one line
/// here; a new setting is a property of the task's settings record and nothing else.
/// </summary>
public static class TaskCatalog
{
    // Build: the whole build. Restore: the world from a cache entry, rebuilding only the cheap parts. Assets: the files
    // the build reads (relative paths resolved under the assets folder), whose contents key the cache entry.
    private sealed record Entry(Type SettingsType, Func<string, TaskSettings, TaskContext, TaskWorld> Build,
        Func<string, TaskSettings, TaskContext, StoredTaskBuild, TaskWorld> Restore, Func<TaskSettings, string?, IEnumerable<string>> Assets);

    private static Entry For<TSettings>(Func<string, TSettings, TaskContext, TaskWorld> build,
        Func<string, TSettings, TaskContext, StoredTaskBuild, TaskWorld> restore, Func<TSettings, IEnumerable<string>> assets)
        where TSettings : TaskSettings =>
        new(typeof(TSettings), (name, settings, context) => build(name, (TSettings)settings, context),
            (name, settings, context, stored) => restore(name, (TSettings)settings, context, stored),
            (settings, folder) => assets((TSettings)settings).Select(path => ResolveAsset(path, folder)));

    private static readonly IReadOnlyDictionary<string, Entry> Entries = new Dictionary<string, Entry>(StringComparer.Ordinal)
    {
        // Ground truth known: a tiny SFT'd transformer (or, with 'model', a pretrained model) as reference,
        // Bradley–Terry pairs on a known reward; exact kl/true and reward/true.
        [SyntheticPreferenceTask.TaskName] = For<SyntheticTaskSettings>((_, s, c) => SyntheticPreferenceTask.Build(s, c),
            (_, s, c, stored) => SyntheticPreferenceTask.Restore(s, c, stored), s => s.Model is null ? [] : [s.Model]),
        // Anthropic HH-RLHF test pairs on a pretrained reference; front = held-out rewards/accuracies vs kl/seq_chosen.
        [HhRlhfTask.TaskName] = For<HhRlhfSettings>((name, s, c) => HhRlhfTask.Build(s, c, name),
            (name, s, c, stored) => HhRlhfTask.Restore(s, c, stored, name), HhRlhfTask.AssetFiles),
        // The same on the user's own pairs ('data' files, 'format' hh-rlhf | sharegpt | jsonl).
        [HhRlhfTask.OwnDataTaskName] = For<HhRlhfSettings>((name, s, c) => HhRlhfTask.Build(s, c, name),
            (name, s, c, stored) => HhRlhfTask.Restore(s, c, stored, name), HhRlhfTask.AssetFiles),
        // The DPO paper's controlled-sentiment task on stories260K; front = reward/true vs kl/true of the policy's continuations.
        [StoriesSentimentTask.TaskName] = For<StoriesSentimentSettings>((_, s, c) => StoriesSentimentTask.Build(s, c),
            (_, s, c, stored) => StoriesSentimentTask.Restore(s, c, stored), s => [s.Model, s.Tokenizer, VaderReward.AssetPath, AfinnReward.AssetPath]),
        // The WDPO paper's preference-shift experiment; reward/alpha=x across mixes vs kl/true.
        [EmotionShiftTask.TaskName] = For<EmotionShiftSettings>((_, s, c) => EmotionShiftTask.Build(s, c),
            (_, s, c, stored) => EmotionShiftTask.Restore(s, c, stored), EmotionShiftTask.AssetFiles),
        // The DPO/Ra-DPO papers' IMDb experiment: a GPT-2-shaped reference SFT'd on IMDb, pairs labelled on classifier sentiment.
        [ImdbSentimentTask.TaskName] = For<ImdbSentimentSettings>((_, s, c) => ImdbSentimentTask.Build(s, c),
            (_, s, c, stored) => ImdbSentimentTask.Restore(s, c, stored), ImdbSentimentTask.AssetFiles),
    };

    // Builds are expensive (reference SFT, sampled pairs, classifiers): one per task, settings, device, assets and cache
    // folder in this process; on disk across processes where the context names a cache folder.
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

    /// <summary>Builds (or takes from the in-process cache, or restores from the on-disk cache of
    /// <see cref="TaskContext.CacheFolder"/>) the task a trial names; the caller disposes it. The current span gets
    /// <see cref="RiskAlignTelemetry.Tags.TaskCache"/> and <see cref="RiskAlignTelemetry.Tags.TaskBuildSeconds"/>.</summary>
    /// <exception cref="ArgumentException">Unknown task, or a build that fails on the user's files (missing model, too few pairs).</exception>
    public static PreferenceTask Create(TaskChoice task, TaskContext context)
    {
        var entry = Find(task.Name);
        var settings = TaskSettingsReader.FromNormalized(entry.SettingsType, task.Name, task.Settings);
        string normalized = TaskSettingsReader.Normalize(settings);
        string key = $"{task.Name}|{normalized}|{context.Device}|{context.AssetsFolder}|{context.CacheFolder}";
        bool inThisCall = false;
        var world = Builds.GetOrBuild(key, () =>
        {
            inThisCall = true;
            return BuildOrRestore(entry, task.Name, settings, normalized, context);
        });
        if (!inThisCall)
        {
            Activity.Current?.SetTag(RiskAlignTelemetry.Tags.TaskCache, "memory");
            Activity.Current?.SetTag(RiskAlignTelemetry.Tags.TaskBuildSeconds, 0.0);
        }
        return new PreferenceTask(task.Name, world, context.Device);
    }

    // The on-disk cache: a verified entry is restored; a missing one is built and stored; a broken one (or one whose
    // restore fails) is said, deleted and rebuilt. A store that cannot be written costs the caching, not the trial.
    private static TaskWorld BuildOrRestore(Entry entry, string name, TaskSettings settings, string normalized, TaskContext context)
    {
        var clock = Stopwatch.StartNew();
        if (context.CacheFolder is null)
            return Said(entry.Build(name, settings, context), "built", $"built in {clock.Elapsed.TotalSeconds:F1} s (no cache folder)");
        var store = new TaskBuildStore(context.CacheFolder);
        string key = TaskBuildKey.Of(name, normalized, context.Device, entry.Assets(settings, context.AssetsFolder));
        string shortKey = key[..12];
        var folder = store.TryOpen(key, out var problem);
        if (problem is not null) Say($"Task '{name}': cache entry {shortKey} is broken ({problem}); rebuilding.");
        if (folder is not null)
        {
            try
            {
                var world = entry.Restore(name, settings, context, StoredTaskBuild.Read(folder));
                return Said(world, "hit", $"cache hit {shortKey} in {clock.Elapsed.TotalSeconds:F1} s ({store.Root})");
            }
            catch (Exception e) when (e is not (ArgumentException or OperationCanceledException))
            {
                Say($"Task '{name}': cache entry {shortKey} could not be restored ({e.Message}); rebuilding.");
                TryDeleteEntry(folder);
            }
        }
        var built = entry.Build(name, settings, context);
        double seconds = clock.Elapsed.TotalSeconds;
        try
        {
            store.Commit(key, name, normalized, entryFolder => StoredTaskBuild.Write(entryFolder, built));
            return Said(built, "built", $"built in {seconds:F1} s, stored as {shortKey} ({store.Root})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Said(built, "built", $"built in {seconds:F1} s, not stored ({e.Message})");
        }

        TaskWorld Said(TaskWorld world, string outcome, string what)
        {
            Activity.Current?.SetTag(RiskAlignTelemetry.Tags.TaskCache, outcome);
            Activity.Current?.SetTag(RiskAlignTelemetry.Tags.TaskBuildSeconds, clock.Elapsed.TotalSeconds);
            Say($"Task '{name}': {what}.");
            return world;
        }
        void Say(string line)
        {
            Activity.Current?.AddEvent(new ActivityEvent(line));
            context.Log?.Invoke(line);
        }
    }

    private static void TryDeleteEntry(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // the rebuild's commit finds it in place and keeps it; the next reader verifies it again
        }
    }

    private static string ResolveAsset(string path, string? assetsFolder)
    {
        try
        {
            return AssetLocator.Resolve(path, assetsFolder);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException or InvalidOperationException)
        {
            return path; // no assets folder: hashed as missing, and the build says what is wrong
        }
    }

    /// <summary>Builds without the in-process cache (determinism tests); through the on-disk cache where the context
    /// names a cache folder (cache tests).</summary>
    internal static PreferenceTask CreateUncached(TaskChoice task, TaskContext context)
    {
        var entry = Find(task.Name);
        var settings = Settings(task);
        return new PreferenceTask(task.Name, BuildOrRestore(entry, task.Name, settings, TaskSettingsReader.Normalize(settings), context), context.Device);
    }

    private static Entry Find(string name) =>
        Entries.TryGetValue(name, out var entry)
            ? entry
            : throw new ArgumentException($"Unknown task '{name}'; known tasks: {string.Join(", ", Names)}.");
}
