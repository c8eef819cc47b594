namespace RiskAlign.SweepClient.Running;

/// <summary>
/// A run's embedded cluster holds its output folder's <c>state/</c> while it runs. A second <c>run --resume</c> or
/// <c>resume --out</c> of the same folder would start a second silo on the same files: both would run the sweep's
/// unfinished trials and overwrite each other's state. The lock is the operating system's advisory lock on
/// <c>state/lock</c> (.NET takes <c>flock</c> for <see cref="FileShare.None"/> on Linux), so the kernel releases it when
/// the process dies: a killed run never leaves its folder locked.
/// </summary>
internal sealed class StateFolderLock : IDisposable
{
    private const string FileName = "lock";
    private readonly FileStream _file;

    private StateFolderLock(FileStream file) => _file = file;

    /// <exception cref="InputCheckException">Another process (or another cluster of this one) holds the folder.</exception>
    public static StateFolderLock Take(DirectoryInfo outDir)
    {
        var folder = SavedEmbeddedCluster.StateFolder(outDir);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        try
        {
            return new StateFolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new InputCheckException($"{outDir.FullName}: another `run` or `resume` of this folder is still running (it holds {path}); " +
                "wait for it to end or stop it first: two embedded clusters on one folder would run the same trials twice.", e);
        }
    }

    public void Dispose() => _file.Dispose();
}
