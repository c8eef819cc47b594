using System.Runtime.InteropServices;
using System.Text;

namespace RiskAlign.Framework.Models.TorchRuntime;

/// <summary>
/// Name and memory of CUDA devices from the driver's NVML (<c>libnvidia-ml.so.1</c>, part of every NVIDIA driver):
/// TorchSharp 0.107 exposes no CUDA memory query (no <c>max_memory_allocated</c>). NVML counts the whole device — every
/// process and trial on it and the CUDA context — and numbers devices as the driver does (torch's order while
/// <c>CUDA_VISIBLE_DEVICES</c> is unset). Null where NVML is missing (no NVIDIA driver, e.g. a CPU machine). One binding
/// serves the <c>devices</c> listing and the per-trial peak-memory sampler.
/// </summary>
public static class NvmlMemory
{
    /// <summary>One device as NVML reports it.</summary>
    public sealed record Device(int Index, string Name, long TotalBytes, long FreeBytes, long UsedBytes);

    private static readonly Lazy<Api?> api = new(Api.TryLoad);

    /// <summary>The devices NVML sees, or null when NVML cannot be loaded or initialised.</summary>
    public static IReadOnlyList<Device>? TryList()
    {
        if (api.Value is not { } nvml || nvml.Count(out uint devices) != 0) return null;
        var result = new List<Device>();
        var buffer = new byte[96];
        for (uint i = 0; i < devices; i++)
        {
            if (nvml.Handle(i, out var device) != 0 || nvml.Memory(device, out var info) != 0) continue;
            string deviceName = nvml.Name(device, buffer, (uint)buffer.Length) == 0
                ? Encoding.ASCII.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0))) : "?";
            result.Add(new Device((int)i, deviceName, (long)info.Total, (long)info.Free, (long)info.Used));
        }
        return result;
    }

    /// <summary>A reader of the bytes in use on device <paramref name="index"/> (null when NVML did not answer), or null
    /// when NVML or the device is not there.</summary>
    public static Func<long?>? TryUsedBytesReader(int index)
    {
        if (api.Value is not { } nvml || nvml.Handle((uint)index, out var device) != 0) return null;
        return () => nvml.Memory(device, out var info) == 0 ? (long)info.Used : null;
    }

    /// <summary>The NVML entry points, loaded and initialised once per process.</summary>
    private sealed class Api
    {
        public required NvmlDeviceCount Count { get; init; }
        public required NvmlHandle Handle { get; init; }
        public required NvmlMemoryInfo Memory { get; init; }
        public required NvmlName Name { get; init; }

        public static Api? TryLoad()
        {
            if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libnvidia-ml.so.1", out var library)) return null;
            try
            {
                T Export<T>(string name) => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));
                if (Export<NvmlInit>("nvmlInit_v2")() != 0) return null;
                return new Api
                {
                    Count = Export<NvmlDeviceCount>("nvmlDeviceGetCount_v2"),
                    Handle = Export<NvmlHandle>("nvmlDeviceGetHandleByIndex_v2"),
                    Memory = Export<NvmlMemoryInfo>("nvmlDeviceGetMemoryInfo"),
                    Name = Export<NvmlName>("nvmlDeviceGetName"),
                };
            }
            catch (EntryPointNotFoundException)
            {
                return null;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo { public ulong Total, Free, Used; }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NvmlInit();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NvmlDeviceCount(out uint count);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NvmlHandle(uint index, out IntPtr device);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NvmlMemoryInfo(IntPtr device, out MemoryInfo info);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NvmlName(IntPtr device, byte[] name, uint length);
}
