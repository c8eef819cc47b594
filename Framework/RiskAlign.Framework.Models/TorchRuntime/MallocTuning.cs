using System.Runtime.InteropServices;

namespace RiskAlign.Framework.Models.TorchRuntime;

/// <summary>
/// Keeps glibc's malloc from hoarding the memory of freed CPU tensors. libtorch allocates CPU tensors with malloc; glibc
/// serves blocks of at least the mmap threshold with their own mapping, returned to the system on free, but raises that
/// threshold (from 128 KiB) each time such a block is freed, up to 32 MiB. After a few training steps every activation
/// below 32 MiB comes from the heap instead, whose freed pieces stay resident and fragment. <see cref="Apply"/> fixes
/// the threshold at 4 MiB with <c>mallopt</c>, unless the user tuned malloc through the environment (any
/// <c>MALLOC_*</c> variable, or <c>glibc.malloc</c> in <c>GLIBC_TUNABLES</c>). Measured on the GPT-2 training steps of
/// docs/benchmarks.md (2 threads), peak resident memory and median step: 12 × 512, moving threshold 3.49 GB / 2.11 s,
/// fixed at 4 MiB 2.68 GB / 1.94 s, at 128 KiB 2.38 GB / 2.36 s (every block of 128 KiB or more then costs a fresh
/// mapping and its page faults); 4 × 256, 1.32 GB / 0.70 s, 1.37 GB / 0.65 s, 1.24 GB / 0.73 s.
/// </summary>
public static class MallocTuning
{
    /// <summary>The threshold <see cref="Apply"/> fixes.</summary>
    public const int MmapThresholdBytes = 4 * 1024 * 1024;

    private const int MMmapThreshold = -3; // malloc.h's M_MMAP_THRESHOLD
    private static readonly object Gate = new();
    private static string? _state;

    /// <summary>What <see cref="Apply"/> did, in words; null before it ran.</summary>
    public static string? State { get { lock (Gate) return _state; } }

    /// <summary>Fixes the mmap threshold (once per process). Never throws; <see cref="State"/> says what happened.</summary>
    public static string Apply()
    {
        lock (Gate)
        {
            return _state ??= Decide(Environment.GetEnvironmentVariables().Keys.Cast<string>(),
                Environment.GetEnvironmentVariable("GLIBC_TUNABLES"), SetMmapThreshold);
        }
    }

    internal static string Decide(IEnumerable<string> environmentNames, string? glibcTunables, Func<int, bool> setMmapThreshold)
    {
        if (!OperatingSystem.IsLinux()) return "malloc: system default (not Linux)";
        var userSetting = environmentNames.FirstOrDefault(n => n.StartsWith("MALLOC_", StringComparison.Ordinal));
        if (userSetting is not null) return $"malloc: as {userSetting} sets it";
        if (glibcTunables?.Contains("glibc.malloc.", StringComparison.Ordinal) == true) return "malloc: as GLIBC_TUNABLES sets it";
        return setMmapThreshold(MmapThresholdBytes)
            ? $"malloc: mmap threshold fixed at {MmapThresholdBytes >> 20} MiB"
            : "malloc: system default (mallopt not available: not glibc)";
    }

    private static bool SetMmapThreshold(int bytes)
    {
        try { return MallOpt(MMmapThreshold, bytes) == 1; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int MallOpt(int parameter, int value);
}
