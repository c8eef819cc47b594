namespace RiskAlign.SweepClient.Running;

/// <summary>The folder results go to: created and proven writable before a sweep starts, so a bad <c>--out</c> is
/// one line and exit code 2, not an exception after the first trial.</summary>
public static class OutputFolder
{
    /// <exception cref="OutputFolderInUseException">The folder holds files and <paramref name="overwrite"/> is false: a run
    /// never replaces earlier results unless told to.</exception>
    /// <exception cref="InputCheckException">The folder cannot be created or written.</exception>
    public static void Prepare(DirectoryInfo folder, bool overwrite = false)
    {
        folder.Refresh();
        if (folder.Exists && folder.EnumerateFileSystemInfos().Any() && !overwrite)
            throw new OutputFolderInUseException(folder.FullName);
        var probe = Path.Combine(folder.FullName, $".riskalign-write-check-{Environment.ProcessId}");
        try
        {
            folder.Create();
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new InputCheckException($"{folder.FullName}: the output folder cannot be written ({e.Message}); pass a writable --out DIR.", e);
        }
    }
}
