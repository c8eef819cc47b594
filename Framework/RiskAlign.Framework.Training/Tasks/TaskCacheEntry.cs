namespace RiskAlign.Framework.Tasks;

/// <summary>One folder of the on-disk task-build cache, as <c>SweepClient cache list</c> shows it.</summary>
/// <param name="Folder">The entry's folder.</param>
/// <param name="Key">Its key (64 hex digits), or null for an unfinished write (a build that died while storing).</param>
/// <param name="Task">The task it holds a build of; null for an unfinished write or an entry stored before it was recorded.</param>
/// <param name="Settings">The task's normalized settings, as the key saw them (same caveat).</param>
/// <param name="Bytes">Its size on disk.</param>
/// <param name="CreatedUtc">When it was stored (same caveat).</param>
/// <param name="LastUsedUtc">When it was stored or last restored.</param>
public sealed record TaskCacheEntry(string Folder, string? Key, string? Task, string? Settings, long Bytes, DateTime? CreatedUtc, DateTime LastUsedUtc)
{
    /// <summary>Whether it is a finished entry a build can be restored from.</summary>
    public bool IsFinished => Key is not null;
}
