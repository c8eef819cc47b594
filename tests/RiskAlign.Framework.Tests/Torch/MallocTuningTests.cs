using RiskAlign.Framework.Models.TorchRuntime;

namespace RiskAlign.Framework.Tests.Torch;

/// <summary><see cref="MallocTuning"/>: fixes glibc's mmap threshold unless the user tuned malloc, and says which.</summary>
public sealed class MallocTuningTests
{
    [Fact]
    public void Fixes_the_mmap_threshold_at_4_MiB_when_nothing_else_tunes_malloc()
    {
        int? asked = null;
        var state = MallocTuning.Decide(["PATH", "HOME"], null, bytes => { asked = bytes; return true; });
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(asked);
            Assert.Equal("malloc: system default (not Linux)", state);
        }
        else
        {
            Assert.Equal(4 << 20, asked);
            Assert.Equal("malloc: mmap threshold fixed at 4 MiB", state);
            Assert.Equal("malloc: system default (mallopt not available: not glibc)", MallocTuning.Decide([], null, _ => false));
        }
    }

    [Fact]
    public void Leaves_malloc_alone_when_the_environment_tunes_it()
    {
        bool called = false;
        bool Set(int _) => called = true;
        Assert.Equal(OperatingSystem.IsLinux() ? "malloc: as MALLOC_ARENA_MAX sets it" : "malloc: system default (not Linux)",
            MallocTuning.Decide(["PATH", "MALLOC_ARENA_MAX"], null, Set));
        Assert.Equal(OperatingSystem.IsLinux() ? "malloc: as GLIBC_TUNABLES sets it" : "malloc: system default (not Linux)",
            MallocTuning.Decide(["PATH"], "glibc.malloc.trim_threshold=0", Set));
        Assert.False(called);
    }

    [Fact]
    public void This_process_got_the_tuning_the_apps_get()
    {
        Assert.NotNull(MallocTuning.State); // the test assembly's module initializer ran LibTorchLocator.EnsureLoaded
        if (OperatingSystem.IsLinux() && !Environment.GetEnvironmentVariables().Keys.Cast<string>().Any(k => k.StartsWith("MALLOC_", StringComparison.Ordinal))
            && Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is null)
            Assert.Equal("malloc: mmap threshold fixed at 4 MiB", MallocTuning.State);
    }
}
