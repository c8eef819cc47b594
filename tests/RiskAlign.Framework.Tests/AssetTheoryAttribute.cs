namespace RiskAlign.Framework.Tests;

/// <summary>
/// A theory that needs a file from the shared assets folder (<see cref="AssetLocator"/>): where the folder or the file is
/// missing, its cases are reported as skipped, not passed. xunit 2.9 has no dynamic skip, so the attribute sets
/// <see cref="FactAttribute.Skip"/>.
/// </summary>
public sealed class AssetTheoryAttribute : TheoryAttribute
{
    public AssetTheoryAttribute(string relativePath)
    {
        var folder = AssetLocator.TryFindAssetsFolder();
        if (folder is null) Skip = $"no shared assets folder (set {AssetLocator.EnvironmentVariable}); needs {relativePath}";
        else if (!File.Exists(Path.Combine(folder, relativePath))) Skip = $"asset {relativePath} not found under {folder}";
    }
}
