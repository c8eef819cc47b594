using System.Runtime.InteropServices;

namespace RiskAlign.Framework.Training;

/// <summary>
/// Used memory of one CUDA device from the driver's NVML (<c>libnvidia-ml.so.1</c>): TorchSharp 0.107 exposes no
/// allocator statistics (no <c>max_memory_allocated</c>). NVML counts the whole device — every process and trial on
/// it and the CUDA context — and numbers devices as the driver does (torch's order while <c>CUDA_VISIBLE_DEVICES</c>
/// is unset). Null where NVML is missing (no NVIDIA driver). The silo's device listing reads the same library.
/// </summary>
internal sealed class NvmlUsedMemory
{
    private readonly IntPtr _device;
    private readonly NvmlMemoryInfo _memory;

    private NvmlUsedMemory(IntPtr device, NvmlMemoryInfo memory)
    {
        _device = device;
        _memory = memory;
    }

    /// <summary>A reader for device <paramref name="index"/>, or null when NVML or the device is not there.</summary>
    public static NvmlUsedMemory? TryOpen(int index)
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libnvidia-ml.so.1", out var library)) return null;
        try
        {
            var init = Marshal.GetDelegateForFunctionPointer<NvmlInit>(NativeLibrary.GetExport(library, "nvmlInit_v2"));
            var handle = Marshal.GetDelegateForFunctionPointer<NvmlHandle>(NativeLibrary.GetExport(library, "nvmlDeviceGetHandleByIndex_v2"));
            var memory = Marshal.GetDelegateForFunctionPointer<NvmlMemoryInfo>(NativeLibrary.GetExport(library, "nvmlDeviceGetMemoryInfo"));
            if (init() != 0 || handle((uint)index, out var device) != 0) return null;
            return new NvmlUsedMemory(device, memory);
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Bytes in use on the device now, or null when NVML did not answer.</summary>
    public long? UsedBytes() => _memory(_device, out var info) == 0 ? (long)info.Used : null;

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo { public ulong Total, Free, Used; }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NvmlInit();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NvmlHandle(uint index, out IntPtr device);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int NvmlMemoryInfo(IntPtr device, out MemoryInfo info);
}
