namespace RiskAlign.Framework.Assets;

/// <summary>
/// Finds the shared assets folder (models, datasets, lexicons, tokenizers), which is never copied into the
/// repository: the <c>RISKALIGN_ASSETS</c> environment variable when set, else <c>../shared/assets</c> beside
/// the repository root found by walking up from the working directory or the application folder.
/// </summary>
public static class AssetLocator
{
    /// <summary>Environment variable that overrides the assets folder.</summary>
    public const string EnvironmentVariable = "RISKALIGN_ASSETS";

    /// <summary>The assets folder, or null when none is found.</summary>
    public static string? TryFindAssetsFolder()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "Framework.sln"))) continue;
                var candidate = Path.Combine(dir.FullName, "..", "shared", "assets");
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        }
        return null;
    }

    /// <summary>The assets folder (explicit when given), or a clear error saying how to point at it.</summary>
    public static string FindAssetsFolder(string? explicitFolder = null)
    {
        var folder = explicitFolder is not null ? Path.GetFullPath(explicitFolder) : TryFindAssetsFolder();
        if (folder is null || !Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"Assets folder not found{(folder is null ? "" : $" at '{folder}'")}: pass --assets DIR or set {EnvironmentVariable} to the folder that holds models/, hh-rlhf/, imdb/ (normally ../shared/assets beside the repository).");
        return folder;
    }

    /// <summary>A path as a setting gives it: absolute paths as they are, relative ones under the assets folder.</summary>
    public static string Resolve(string path, string? explicitFolder = null) =>
        Path.IsPathRooted(path) ? path : Path.Combine(FindAssetsFolder(explicitFolder), path);

    /// <summary>A file under the assets folder, or a clear error naming the missing file.</summary>
    public static string Require(string relativePath, string? explicitFolder = null)
    {
        var path = Path.Combine(FindAssetsFolder(explicitFolder), relativePath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Asset '{relativePath}' not found at '{path}'.", path);
        return path;
    }
}
