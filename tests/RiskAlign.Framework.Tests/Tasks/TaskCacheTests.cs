namespace RiskAlign.Framework.Tests.Tasks;

/// <summary>Listing and pruning the on-disk task-build cache (<see cref="TaskCache"/>): what each entry holds, when it was
/// last used (stored or restored), and which entries pruning takes.</summary>
public sealed class TaskCacheTests : IDisposable
{
    private readonly string _root = Path.Combine(Directory.CreateTempSubdirectory("riskalign-cache-list-").FullName, "cache");
    private static readonly DateTime Now = DateTime.UtcNow;

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_root)!, recursive: true);

    private string Commit(string key, string task, int bytes) =>
        new TaskBuildStore(_root).Commit(key, task, $"{{\"task\":\"{task}\"}}", folder => File.WriteAllBytes(Path.Combine(folder, "data.bin"), new byte[bytes]));

    private static void LastUsed(string folder, DateTime utc) => File.SetLastWriteTimeUtc(Path.Combine(folder, "manifest.json"), utc);

    private string Unfinished(string name, DateTime utc)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.WriteAllBytes(Path.Combine(folder, "data.bin"), new byte[10]);
        Directory.SetLastWriteTimeUtc(folder, utc);
        return folder;
    }

    [Fact]
    public void An_entry_is_listed_with_its_task_settings_and_size_and_a_restore_marks_it_used()
    {
        var key = new string('a', 64);
        var folder = Commit(key, "synthetic", bytes: 1000);
        LastUsed(folder, Now.AddDays(-10));

        var entry = Assert.Single(TaskCache.List(_root));
        Assert.Equal((key, "synthetic", "{\"task\":\"synthetic\"}"), (entry.Key, entry.Task, entry.Settings));
        Assert.True(entry.Bytes > 1000, entry.Bytes.ToString()); // the data and the manifest
        Assert.InRange(entry.CreatedUtc!.Value, Now.AddMinutes(-5), DateTime.UtcNow);
        Assert.InRange(entry.LastUsedUtc, Now.AddDays(-10).AddSeconds(-1), Now.AddDays(-10).AddSeconds(1));

        Assert.Equal(folder, new TaskBuildStore(_root).TryOpen(key, out var problem));
        Assert.Null(problem);
        Assert.InRange(Assert.Single(TaskCache.List(_root)).LastUsedUtc, Now.AddMinutes(-5), DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void Pruning_takes_entries_unused_for_the_given_time_and_unfinished_writes_older_than_a_day()
    {
        var old = Commit(new string('a', 64), "synthetic", 100);
        var recent = Commit(new string('b', 64), "emotion-shift", 100);
        LastUsed(old, Now.AddDays(-8));
        LastUsed(recent, Now.AddDays(-6));
        var deadWrite = Unfinished($".{new string('c', 64)}.0123.tmp", Now.AddDays(-2));
        var liveWrite = Unfinished($".{new string('d', 64)}.4567.tmp", Now.AddHours(-1));

        var wouldGo = TaskCache.Prune(TaskCache.List(_root), TimeSpan.FromDays(7), Now, dryRun: true);
        Assert.Equal([deadWrite, old], wouldGo.Select(e => e.Folder).Order());
        Assert.Equal(4, TaskCache.List(_root).Count); // a dry run deletes nothing

        var gone = TaskCache.Prune(TaskCache.List(_root), TimeSpan.FromDays(7), Now, dryRun: false);
        Assert.Equal([deadWrite, old], gone.Select(e => e.Folder).Order());
        Assert.Equal([liveWrite, recent], TaskCache.List(_root).Select(e => e.Folder).Order());
        Assert.DoesNotContain(Directory.GetDirectories(_root), d => d.EndsWith(".deleting.tmp")); // renamed aside, then deleted

        // Zero days: every finished entry, but still not a write that may be in progress.
        TaskCache.Prune(TaskCache.List(_root), TimeSpan.Zero, Now, dryRun: false);
        Assert.Equal([liveWrite], TaskCache.List(_root).Select(e => e.Folder));
    }

    [Fact]
    public void A_missing_cache_folder_lists_and_prunes_nothing()
    {
        Assert.Empty(TaskCache.List(Path.Combine(_root, "nowhere")));
        Assert.Empty(TaskCache.Prune(TaskCache.List(Path.Combine(_root, "nowhere")), TimeSpan.Zero, Now, dryRun: false));
    }
}
