using System.Runtime.InteropServices;
using RiskAlign.Framework.Models.TorchRuntime;
using RiskAlign.Framework.Tests.Data;
using CpuArchitecture = System.Runtime.InteropServices.Architecture;

namespace RiskAlign.Framework.Tests.Torch;

/// <summary>
/// <see cref="MklCpuDispatch"/>: on a non-Intel x86-64 CPU the test process (like the apps) has the shim loaded, so
/// MKL's <c>mkl_serv_intel_cpu_true</c> answers 1 in the global scope, and matmuls on that path still compute the product.
/// </summary>
public sealed class MklCpuDispatchTests
{
    [Fact]
    public void Reads_the_vendor_of_the_first_processor()
    {
        using var files = new TempFiles();
        var info = files.Write("cpuinfo", "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n\nprocessor\t: 1\nvendor_id\t: Other\n");
        Assert.Equal("AuthenticAMD", MklCpuDispatch.CpuVendor(info));
        Assert.Null(MklCpuDispatch.CpuVendor(info + ".missing"));
    }

    [LinuxX64Fact]
    public void Leaves_an_Intel_CPU_to_MKL_and_says_when_the_shim_was_not_built()
    {
        using var files = new TempFiles();
        var intel = files.Write("intel", "vendor_id\t: GenuineIntel\n");
        var amd = files.Write("amd", "vendor_id\t: AuthenticAMD\n");
        var appWithoutShim = Path.GetDirectoryName(amd)!;
        Assert.Equal("MKL: vendor dispatch (CPU vendor GenuineIntel)", MklCpuDispatch.Decide(appWithoutShim, intel));
        Assert.Equal($"MKL: generic path on this AuthenticAMD CPU ({MklCpuDispatch.ShimFileName} was not built: no C compiler at build time)",
            MklCpuDispatch.Decide(appWithoutShim, amd));
    }

    [NonIntelX64Fact]
    public void The_shim_answers_for_MKL_in_this_process()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, MklCpuDispatch.ShimFileName)),
            $"the build put no {MklCpuDispatch.ShimFileName} next to the tests (is cc on PATH?)");
        Assert.StartsWith("MKL: AVX2/AVX-512 kernels", MklCpuDispatch.State);
        // The symbol as a lazily bound call from libtorch_cpu.so resolves it: the global scope first.
        var torchCpu = NativeLibrary.Load("libtorch_cpu.so", typeof(torch).Assembly, null);
        Assert.NotEqual(IntPtr.Zero, torchCpu);
        var global = DlSym(IntPtr.Zero, "mkl_serv_intel_cpu_true"); // RTLD_DEFAULT
        Assert.NotEqual(IntPtr.Zero, global);
        Assert.NotEqual(NativeLibrary.GetExport(torchCpu, "mkl_serv_intel_cpu_true"), global);
        Assert.Equal(1, Marshal.GetDelegateForFunctionPointer<IntAnswer>(global)());
    }

    [Fact]
    public void Matmuls_on_the_chosen_path_compute_the_product()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var a = randn(300, 257, generator: generator);
        var b = randn(257, 191, generator: generator);
        var exact = a.to_type(ScalarType.Float64).matmul(b.to_type(ScalarType.Float64));
        var error = (a.matmul(b).to_type(ScalarType.Float64) - exact).abs().max().item<double>();
        Assert.True(error < 1e-4, $"fp32 matmul differs from the float64 product by {error}");
    }

    private delegate int IntAnswer();

    [DllImport("libdl.so.2", EntryPoint = "dlsym")]
    private static extern IntPtr DlSym(IntPtr handle, string symbol);

    private sealed class LinuxX64FactAttribute : FactAttribute
    {
        public LinuxX64FactAttribute()
        {
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != CpuArchitecture.X64) Skip = "Linux x64 only";
        }
    }

    private sealed class NonIntelX64FactAttribute : FactAttribute
    {
        public NonIntelX64FactAttribute()
        {
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != CpuArchitecture.X64) Skip = "Linux x64 only";
            else if (MklCpuDispatch.CpuVendor("/proc/cpuinfo") is null or "GenuineIntel") Skip = "an Intel CPU: MKL dispatches by itself";
            else if (Environment.GetEnvironmentVariable(MklCpuDispatch.EnvironmentVariable) == "vendor") Skip = $"{MklCpuDispatch.EnvironmentVariable}=vendor";
        }
    }
}
