namespace RiskAlign.Framework.Tests.Torch;

/// <summary>The build step of build/LibTorchSharpGlibcxxFix.targets, checked on the files it produced.</summary>
public sealed class LibTorchSharpPatchTests
{
    private const string Version = "GLIBCXX_3.4.32";

    private static string OutputCopy => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

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

    [Fact]
    public void The_output_copy_needs_the_missing_libstdcxx_version_only_weakly()
    {
        if (!OperatingSystem.IsLinux() || SystemHasVersion()) return; // the step is a no-op there, by design
        var needs = ElfVersionNeeds.Read(OutputCopy);
        Assert.True(needs.ContainsKey(Version), $"{OutputCopy} does not name {Version} at all");
        Assert.Equal(ElfVersionNeeds.WeakFlag, needs[Version] & ElfVersionNeeds.WeakFlag);
        // Every other requirement stays as TorchSharp shipped it (strong).
        Assert.All(needs.Where(kv => kv.Key != Version && kv.Key.StartsWith("GLIBCXX_")), kv => Assert.Equal(0, kv.Value & ElfVersionNeeds.WeakFlag));
    }

    [Fact]
    public void The_NuGet_package_cache_copy_is_left_untouched()
    {
        if (!OperatingSystem.IsLinux() || PackageCacheCopy is not { } cached) return;
        var needs = ElfVersionNeeds.Read(cached);
        Assert.Equal(0, needs[Version] & ElfVersionNeeds.WeakFlag);
    }
}
