using System.Security.Cryptography;
using System.Text.Json;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Task builds on disk, one folder per key under <see cref="Root"/>, so later sweeps (and other silos pointed at the
/// same folder) take them instead of building again. An entry is written into a temporary folder, closed with a
/// <c>manifest.json</c> that lists every file with its size and SHA-256, and only then renamed into place, so a
/// reader never sees half an entry. An entry whose manifest is missing or unreadable, whose format version differs,
/// or whose files are missing, truncated or changed is deleted and reported, never used.
/// </summary>
internal sealed class TaskBuildStore(string root)
{
    /// <summary>The layout of an entry and its manifest; a change of the code that builds tasks already changes every key
    /// (<see cref="TaskBuildKey.CodeIdentity"/>).</summary>
    public const int FormatVersion = 1;

    private const string ManifestFile = "manifest.json";

    /// <summary>The cache folder.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The folder of a verified entry of <paramref name="key"/>, or null: no entry (<paramref name="problem"/>
    /// null) or a broken one, now deleted (<paramref name="problem"/> says what was wrong).</summary>
    public string? TryOpen(string key, out string? problem)
    {
        problem = null;
        var folder = Path.Combine(Root, key);
        if (!Directory.Exists(folder)) return null;
        problem = Verify(folder);
        if (problem is null)
        {
            MarkUsed(folder);
            return folder;
        }
        TryDelete(folder);
        return null;
    }

    /// <summary>Writes an entry of <paramref name="key"/>, the build of <paramref name="task"/> with
    /// <paramref name="settings"/> (recorded for <see cref="List"/>): <paramref name="write"/> fills a temporary folder,
    /// the manifest closes it, a rename publishes it. Returns the entry's folder (another writer's, if it got there first).</summary>
    public string Commit(string key, string task, string settings, Action<string> write)
    {
        Directory.CreateDirectory(Root);
        var folder = Path.Combine(Root, key);
        var temporary = Path.Combine(Root, $".{key}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            var files = Directory.GetFiles(temporary).Select(Path.GetFileName).Order(StringComparer.Ordinal)
                .Select(name => new ManifestEntry(name!, new FileInfo(Path.Combine(temporary, name!)).Length, Sha256(Path.Combine(temporary, name!))))
                .ToArray();
            File.WriteAllText(Path.Combine(temporary, ManifestFile), JsonSerializer.Serialize(new Manifest(FormatVersion, key, files) { Task = task, Settings = settings, CreatedUtc = DateTime.UtcNow }));
            try
            {
                Directory.Move(temporary, folder);
            }
            catch (IOException) when (Directory.Exists(folder))
            {
                TryDelete(temporary); // a concurrent build of the same key published first; its entry is as good
            }
            return folder;
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Every entry, finished or not, with what its manifest says (<see cref="TaskCacheEntry"/>).</summary>
    public IReadOnlyList<TaskCacheEntry> List()
    {
        if (!Directory.Exists(Root)) return [];
        return Directory.GetDirectories(Root).Select(TryDescribe).OfType<TaskCacheEntry>().ToList();
    }

    /// <summary>Deletes an entry (or an unfinished write): renamed aside first, so no reader opens half of it. A silo that
    /// is restoring it at that moment fails the restore and builds again (TaskCatalog).</summary>
    public static bool Delete(string folder)
    {
        var aside = Path.Combine(Path.GetDirectoryName(folder)!, $".{Path.GetFileName(folder)}.{Guid.NewGuid():N}.deleting.tmp");
        try
        {
            Directory.Move(folder, aside);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        TryDelete(aside);
        return true;
    }

    // Null for a folder that went away while it was read (another process pruned it, or published a write).
    private static TaskCacheEntry? TryDescribe(string folder)
    {
        try
        {
            return Describe(folder);
        }
        catch (Exception e) when (e is DirectoryNotFoundException or FileNotFoundException)
        {
            return null;
        }
    }

    private static TaskCacheEntry Describe(string folder)
    {
        var name = Path.GetFileName(folder);
        long bytes = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var manifestPath = Path.Combine(folder, ManifestFile);
        Manifest? manifest = null;
        try
        {
            if (File.Exists(manifestPath)) manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath));
        }
        catch (JsonException)
        {
        }
        bool finished = manifest is { Files: not null } && !name.StartsWith('.');
        var lastUsed = finished ? File.GetLastWriteTimeUtc(manifestPath) : Directory.GetLastWriteTimeUtc(folder);
        return new TaskCacheEntry(folder, finished ? name : null, manifest?.Task, manifest?.Settings, bytes, manifest?.CreatedUtc, lastUsed);
    }

    // The manifest's modification time is the entry's last use: set when it is written and at every hit (its contents,
    // which verification reads, stay as they are). A cache folder the silo may not write is used all the same.
    private static void MarkUsed(string folder)
    {
        try
        {
            File.SetLastWriteTimeUtc(Path.Combine(folder, ManifestFile), DateTime.UtcNow);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>SHA-256 of a file's contents, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string? Verify(string folder)
    {
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath)) return "no manifest (an unfinished write)";
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath));
        }
        catch (JsonException e)
        {
            return $"unreadable manifest ({e.Message})";
        }
        if (manifest is null || manifest.Files is null) return "empty manifest";
        if (manifest.FormatVersion != FormatVersion) return $"format version {manifest.FormatVersion}, expected {FormatVersion}";
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(folder, file.Name);
            if (!File.Exists(path)) return $"'{file.Name}' is missing";
            long length = new FileInfo(path).Length;
            if (length != file.Length) return $"'{file.Name}' has {length} bytes, expected {file.Length}";
            if (Sha256(path) != file.Sha256) return $"'{file.Name}' does not match its checksum";
        }
        return null;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // another process is replacing it; the next reader verifies again
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // Task, Settings and CreatedUtc are absent from entries written before `cache` could list them.
    private sealed record Manifest(int FormatVersion, string Key, ManifestEntry[] Files)
    {
        public string? Task { get; init; }
        public string? Settings { get; init; }
        public DateTime? CreatedUtc { get; init; }
    }

    private sealed record ManifestEntry(string Name, long Length, string Sha256);
}
