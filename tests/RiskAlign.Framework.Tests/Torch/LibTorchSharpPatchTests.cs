namespace RiskAlign.Framework.Tests.Torch;

/// <summary>The build step of build/LibTorchSharpGlibcxxFix.targets, checked on the files it produced.</summary>
public sealed class LibTorchSharpPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string OutputCopy => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>Runs where the patch has work to do: Linux whose libstdc++ lacks the version (elsewhere the step is a
    /// no-op by design, and the test is reported as skipped).</summary>
    public sealed class WherePatchAppliesFactAttribute : FactAttribute
    {
        public WherePatchAppliesFactAttribute()
        {
            if (!OperatingSystem.IsLinux() || SystemHasVersion()) Skip = $"this system's libstdc++ has {Version}, so the build step leaves the library as it is";
        }
    }

    /// <summary>Runs where the NuGet cache holds TorchSharp's copy of the library.</summary>
    public sealed class WithPackageCacheCopyFactAttribute : FactAttribute
    {
        public WithPackageCacheCopyFactAttribute()
        {
            if (!OperatingSystem.IsLinux() || PackageCacheCopy is null) Skip = "no TorchSharp 0.107.0 Linux package in the NuGet cache";
        }
    }

    private static string? PackageCacheCopy
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var path = Path.Combine(cache, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            return File.Exists(path) ? path : null;
        }
    }

    private static bool SystemHasVersion()
    {
        foreach (var candidate in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6" })
            if (File.Exists(candidate))
                return File.ReadAllText(candidate, System.Text.Encoding.Latin1).Contains(Version + "\0");
        return false;
    }

    [WherePatchAppliesFact]
    public void The_output_copy_needs_the_missing_libstdcxx_version_only_weakly()
    {
        var needs = ElfVersionNeeds.Read(OutputCopy);
        Assert.True(needs.ContainsKey(Version), $"{OutputCopy} does not name {Version} at all");
        Assert.Equal(ElfVersionNeeds.WeakFlag, needs[Version] & ElfVersionNeeds.WeakFlag);
        // Every other requirement stays as TorchSharp shipped it (strong).
        Assert.All(needs.Where(kv => kv.Key != Version && kv.Key.StartsWith("GLIBCXX_")), kv => Assert.Equal(0, kv.Value & ElfVersionNeeds.WeakFlag));
    }

    [WithPackageCacheCopyFact]
    public void The_NuGet_package_cache_copy_is_left_untouched()
    {
        var needs = ElfVersionNeeds.Read(PackageCacheCopy!);
        Assert.Equal(0, needs[Version] & ElfVersionNeeds.WeakFlag);
    }
}
