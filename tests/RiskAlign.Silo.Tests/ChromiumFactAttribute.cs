namespace RiskAlign.Silo.Tests;

/// <summary>
/// A fact that needs headless Chromium (Debian's <c>chromium</c> package; .ci/run installs it). Without it on the PATH
/// the test is reported as skipped, not passed.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Executable is null) Skip = "chromium is not installed (apt-get install chromium)";
    }

    /// <summary>The <c>chromium</c> executable on the PATH, or null.</summary>
    public static string? Executable =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "chromium"))
            .FirstOrDefault(File.Exists);
}
