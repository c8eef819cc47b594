using System.Runtime.InteropServices;

namespace RiskAlign.Framework.Models.TorchRuntime;

/// <summary>
/// Lets the MKL inside libtorch use its AVX2/AVX-512 matmul kernels on x86-64 CPUs that are not Intel's. MKL takes a
/// generic path on any other vendor's CPU (it asks <c>mkl_serv_intel_cpu_true</c>); on the AMD EPYC this project runs
/// on, that path made fp32 matmuls 1.4–1.8× slower (build/native/mkl_cpu_dispatch.c has the figures).
/// The fix is <c>libriskalign_mkl_cpu.so</c> (built from <c>build/native/mkl_cpu_dispatch.c</c>, placed next to the
/// app), loaded with <c>RTLD_GLOBAL</c> before the first matmul, so that MKL's lazily bound call reaches its answer.
/// <see cref="LibTorchLocator.EnsureLoaded"/> applies it first thing; <c>RISKALIGN_MKL_CPU_DISPATCH=vendor</c> keeps
/// MKL's own choice.
/// </summary>
public static class MklCpuDispatch
{
    /// <summary>The environment variable that turns the shim off (value <c>vendor</c>).</summary>
    public const string EnvironmentVariable = "RISKALIGN_MKL_CPU_DISPATCH";

    /// <summary>The shim's file name, next to the app.</summary>
    public const string ShimFileName = "libriskalign_mkl_cpu.so";

    private const int RtldNow = 0x2, RtldGlobal = 0x100;
    private static readonly object Gate = new();
    private static string? _state;

    /// <summary>What <see cref="Apply"/> did, in words, for <c>SweepClient devices</c> and the logs; null before it ran.</summary>
    public static string? State { get { lock (Gate) return _state; } }

    /// <summary>Loads the shim where it applies (once per process). Must run before libtorch's first matmul: MKL
    /// keeps the answer it got first. Never throws; <see cref="State"/> says what happened.</summary>
    public static string Apply(string? appDirectory = null, string? cpuInfoPath = null)
    {
        lock (Gate)
        {
            return _state ??= Decide(appDirectory ?? AppContext.BaseDirectory, cpuInfoPath ?? "/proc/cpuinfo");
        }
    }

    internal static string Decide(string appDirectory, string cpuInfoPath)
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            return "MKL: vendor dispatch (not Linux x64)";
        if (string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "vendor", StringComparison.OrdinalIgnoreCase))
            return $"MKL: vendor dispatch ({EnvironmentVariable}=vendor)";
        var vendor = CpuVendor(cpuInfoPath);
        if (vendor is null or "GenuineIntel")
            return $"MKL: vendor dispatch (CPU vendor {vendor ?? "unknown"})";
        var shim = Path.Combine(appDirectory, ShimFileName);
        if (!File.Exists(shim))
            return $"MKL: generic path on this {vendor} CPU ({ShimFileName} was not built: no C compiler at build time)";
        var handle = DlOpen(shim, RtldNow | RtldGlobal);
        return handle == IntPtr.Zero
            ? $"MKL: generic path on this {vendor} CPU ({shim} did not load: {DlError()})"
            : $"MKL: AVX2/AVX-512 kernels on this {vendor} CPU ({ShimFileName})";
    }

    /// <summary>The <c>vendor_id</c> of the first processor in <paramref name="cpuInfoPath"/>, or null.</summary>
    internal static string? CpuVendor(string cpuInfoPath)
    {
        if (!File.Exists(cpuInfoPath)) return null;
        foreach (var line in File.ReadLines(cpuInfoPath))
            if (line.StartsWith("vendor_id", StringComparison.Ordinal) && line.IndexOf(':') is var colon and > 0)
                return line[(colon + 1)..].Trim();
        return null;
    }

    // glibc 2.34+ has dlopen in libc itself; libdl.so.2 remains as its forwarding stub there and is the home of dlopen before.
    [DllImport("libdl.so.2", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen(string path, int flags);

    [DllImport("libdl.so.2", EntryPoint = "dlerror")]
    private static extern IntPtr DlErrorPointer();

    private static string DlError() => Marshal.PtrToStringUTF8(DlErrorPointer()) ?? "unknown error";
}
