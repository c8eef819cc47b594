using System.Globalization;
using RiskAlign.Framework.Tasks;
using RiskAlign.Silo.Trials;

namespace RiskAlign.SweepClient.Commands;

/// <summary>
/// <c>cache list</c> and <c>cache prune</c>: the on-disk task-build cache (<c>runs/task-cache</c> or <c>--cache DIR</c>),
/// which silos fill and never empty; every rebuild of RiskAlign's code starts new entries.
/// </summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var command = new Command("cache", "Show or prune the on-disk task-build cache (the SFT'd references, classifiers and datasets silos store).");
        command.Subcommands.Add(ListEntries());
        command.Subcommands.Add(PruneEntries());
        return command;
    }

    private static Option<DirectoryInfo> CacheOption() => new("--cache")
    {
        Description = $"The cache folder (default: {PluginOptions.DefaultTaskCache}, as run and Silo use)",
        DefaultValueFactory = _ => new DirectoryInfo(PluginOptions.DefaultTaskCache),
    };

    private static Command ListEntries()
    {
        var cache = CacheOption();
        var command = new Command("list", "List the cache's entries, last used first: key, task, size, when stored and last used. Exit 0.") { cache };
        command.SetAction(parse =>
        {
            var folder = parse.GetRequiredValue(cache);
            var entries = TaskCache.List(folder.FullName);
            if (entries.Count == 0)
            {
                Console.Out.WriteLine(folder.Exists ? $"No task builds in {folder.FullName}." : $"No cache folder at {folder.FullName} (nothing stored there yet).");
                return 0;
            }
            var table = new Table().AddColumns("key", "task", "size", "stored (UTC)", "last used (UTC)");
            foreach (var e in entries)
                table.AddRow(e.Key is { } key ? key[..12] : "(unfinished)", Markup.Escape(e.Task ?? "?"), Size(e.Bytes),
                    e.CreatedUtc is { } created ? Time(created) : "?", Time(e.LastUsedUtc));
            AnsiConsole.Write(table);
            Console.Out.WriteLine($"{EntryCount(entries.Count)}, {Size(entries.Sum(e => e.Bytes))} in {folder.FullName}; each entry's manifest.json holds its task's settings.");
            return 0;
        });
        return command;
    }

    private static Command PruneEntries()
    {
        var cache = CacheOption();
        var unusedDays = new Option<double>("--unused-days")
        {
            Description = "Delete the entries not stored or restored for this many days (0: every entry); unfinished writes go after a day",
            Required = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be deleted, delete nothing" };
        var command = new Command("prune", "Delete the cache entries not used for --unused-days days. A silo restoring an entry as it goes builds it again. Exit 0; 2: bad input.") { cache, unusedDays, dryRun };
        command.SetAction(parse =>
        {
            double days = parse.GetValue(unusedDays);
            if (!double.IsFinite(days) || days < 0)
                return UserErrors.Report(new ArgumentException($"--unused-days: expected a number of days >= 0, got {days.ToString(CultureInfo.InvariantCulture)}."));
            var folder = parse.GetRequiredValue(cache);
            bool dry = parse.GetValue(dryRun);
            var before = TaskCache.List(folder.FullName);
            var pruned = TaskCache.Prune(before, TimeSpan.FromDays(days), DateTime.UtcNow, dry);
            foreach (var e in pruned)
                Console.Out.WriteLine($"{(dry ? "would delete" : "deleted")} {Describe(e)}");
            long freed = pruned.Sum(e => e.Bytes);
            Console.Out.WriteLine($"{(dry ? "Would delete" : "Deleted")} {EntryCount(pruned.Count)} ({Size(freed)}); " +
                $"{before.Count - pruned.Count} kept ({Size(before.Sum(e => e.Bytes) - freed)}) in {folder.FullName}.");
            return 0;
        });
        return command;
    }

    private static string Describe(TaskCacheEntry e) =>
        $"{(e.Key is { } key ? key[..12] : Path.GetFileName(e.Folder))} ({e.Task ?? "unknown task"}, {Size(e.Bytes)}, last used {Time(e.LastUsedUtc)} UTC)";

    private static string EntryCount(int count) => count == 1 ? "1 entry" : $"{count} entries";

    private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => (bytes / 1024.0).ToString("F1", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("F1", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("F2", CultureInfo.InvariantCulture) + " GiB",
    };
}
