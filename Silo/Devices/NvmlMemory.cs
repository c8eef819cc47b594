using System.Runtime.InteropServices;
using System.Text;

namespace RiskAlign.Silo.Devices;

/// <summary>
/// Name and memory of CUDA devices from the driver's NVML (<c>libnvidia-ml.so.1</c>, part of every NVIDIA driver):
/// TorchSharp exposes no CUDA memory query. Null where NVML is missing (no NVIDIA driver, e.g. a CPU machine).
/// NVML numbers devices as the driver does; with <c>CUDA_VISIBLE_DEVICES</c> unset that is torch's order.
/// </summary>
public static partial class NvmlMemory
{
    /// <summary>One device as NVML reports it.</summary>
    public sealed record Device(int Index, string Name, long TotalBytes, long FreeBytes, long UsedBytes);

    /// <summary>The devices NVML sees, or null when NVML cannot be loaded or initialised.</summary>
    public static IReadOnlyList<Device>? TryList()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libnvidia-ml.so.1", out var library)) return null;
        try
        {
            var init = Marshal.GetDelegateForFunctionPointer<NvmlInit>(NativeLibrary.GetExport(library, "nvmlInit_v2"));
            var count = Marshal.GetDelegateForFunctionPointer<NvmlDeviceCount>(NativeLibrary.GetExport(library, "nvmlDeviceGetCount_v2"));
            var handle = Marshal.GetDelegateForFunctionPointer<NvmlHandle>(NativeLibrary.GetExport(library, "nvmlDeviceGetHandleByIndex_v2"));
            var memory = Marshal.GetDelegateForFunctionPointer<NvmlMemoryInfo>(NativeLibrary.GetExport(library, "nvmlDeviceGetMemoryInfo"));
            var name = Marshal.GetDelegateForFunctionPointer<NvmlName>(NativeLibrary.GetExport(library, "nvmlDeviceGetName"));
            if (init() != 0 || count(out uint devices) != 0) return null;
            var result = new List<Device>();
            var buffer = new byte[96];
            for (uint i = 0; i < devices; i++)
            {
                if (handle(i, out var device) != 0 || memory(device, out var info) != 0) continue;
                string deviceName = name(device, buffer, (uint)buffer.Length) == 0
                    ? Encoding.ASCII.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0))) : "?";
                result.Add(new Device((int)i, deviceName, (long)info.Total, (long)info.Free, (long)info.Used));
            }
            return result;
        }
        catch (EntryPointNotFoundException)
        {
            return null;
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
