namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The on-disk task-build cache seen from outside a silo: what it holds, and pruning. Every rebuild of RiskAlign's code
/// starts a new set of entries (<see cref="TaskBuildKey.CodeIdentity"/>), and a silo never evicts one, so the folder
/// only grows until a user prunes it.
/// </summary>
public static class TaskCache
{
    /// <summary>Unfinished writes younger than this may still be in progress on some silo, so pruning leaves them.</summary>
    public static readonly TimeSpan UnfinishedGrace = TimeSpan.FromDays(1);

    /// <summary>The entries of the cache folder <paramref name="root"/> (none when it does not exist), last used first.</summary>
    public static IReadOnlyList<TaskCacheEntry> List(string root) =>
        [.. new TaskBuildStore(root).List().OrderByDescending(e => e.LastUsedUtc)];

    /// <summary>Of <paramref name="entries"/> (a <see cref="List"/>), those not used for <paramref name="unusedFor"/> before
    /// <paramref name="nowUtc"/>, and unfinished writes older than <see cref="UnfinishedGrace"/>: deleted unless
    /// <paramref name="dryRun"/>. Returns what was (or would be) deleted; an entry another process holds open or removes
    /// meanwhile is skipped.</summary>
    public static IReadOnlyList<TaskCacheEntry> Prune(IReadOnlyList<TaskCacheEntry> entries, TimeSpan unusedFor, DateTime nowUtc, bool dryRun)
    {
        var stale = entries
            .Where(e => nowUtc - e.LastUsedUtc >= (e.IsFinished ? unusedFor : UnfinishedGrace))
            .ToList();
        return dryRun ? stale : [.. stale.Where(e => TaskBuildStore.Delete(e.Folder))];
    }
}
