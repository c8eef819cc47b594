using System.Diagnostics;

namespace RiskAlign.SweepClient.Tests;

/// <summary>
/// The TorchBackend=system mode: a SweepClient folder with no libtorch of its own loads the one named by
/// RISKALIGN_LIBTORCH. The app is this test's own build copied without its libtorch files (what a system build
/// leaves out), run as a child process so the load happens in a fresh process. The libtorch is the folder in
/// RISKALIGN_TEST_LIBTORCH, else the libtorch-cpu NuGet package's native folder; skipped where neither exists.
/// </summary>
public sealed class SystemLibTorchTests
{
    private static readonly string? LibTorchFolder = FindLibTorch();

    private static string? FindLibTorch()
    {
        var given = Environment.GetEnvironmentVariable("RISKALIGN_TEST_LIBTORCH");
        if (!string.IsNullOrEmpty(given)) return given;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var folder = Path.Combine(packages, "libtorch-cpu-linux-x64", "2.10.0", "runtimes", "linux-x64", "native");
        return File.Exists(Path.Combine(folder, "libtorch_cpu.so")) ? folder : null;
    }

    public sealed class NeedsLibTorchFolderFact : FactAttribute
    {
        public NeedsLibTorchFolderFact()
        {
            if (!OperatingSystem.IsLinux()) Skip = "Linux only (libtorch .so files).";
            else if (LibTorchFolder is null) Skip = "No libtorch folder: set RISKALIGN_TEST_LIBTORCH or restore libtorch-cpu-linux-x64 2.10.0.";
        }
    }

    /// <summary>Copies the SweepClient app files of this test's output without any libtorch library.</summary>
    private static string AppWithoutLibTorch()
    {
        var target = Directory.CreateTempSubdirectory("riskalign-system-app-").FullName;
        var source = AppContext.BaseDirectory;
        foreach (var file in Directory.EnumerateFiles(source).Where(f => f.EndsWith(".dll") || f.EndsWith(".json")))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        var native = Path.Combine(source, "runtimes", "linux-x64", "native");
        var nativeTarget = Directory.CreateDirectory(Path.Combine(target, "runtimes", "linux-x64", "native")).FullName;
        foreach (var name in new[] { "libLibTorchSharp.so", "libSkiaSharp.so", "libHarfBuzzSharp.so" })
            if (File.Exists(Path.Combine(native, name))) File.Copy(Path.Combine(native, name), Path.Combine(nativeTarget, name));
        Assert.False(Directory.EnumerateFiles(target, "libtorch*", SearchOption.AllDirectories).Any());
        return target;
    }

    private static (int Exit, string Output, string Error) RunApp(string app, string? libTorch, string path = "/usr/bin:/bin")
    {
        var dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        var start = new ProcessStartInfo(dotnet, [Path.Combine(app, "RiskAlign.SweepClient.dll"), "devices"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = app,
        };
        start.Environment["RISKALIGN_LIBTORCH"] = libTorch;
        start.Environment["PATH"] = path;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(120_000), "devices did not finish within 2 minutes");
        return (process.ExitCode, output.Result, error.Result);
    }

    [NeedsLibTorchFolderFact]
    public void Devices_loads_libtorch_from_the_folder_in_RISKALIGN_LIBTORCH()
    {
        var app = AppWithoutLibTorch();
        var (exit, output, error) = RunApp(app, LibTorchFolder);
        Assert.True(exit == 0, error);
        Assert.Contains($"libtorch: {Path.GetFullPath(LibTorchFolder!)}", output);
        Assert.Contains("found through RISKALIGN_LIBTORCH", output);
        Assert.Contains("slots: cpu#0", output);
    }

    [NeedsLibTorchFolderFact]
    public void Without_RISKALIGN_LIBTORCH_or_python_torch_the_app_names_what_it_tried_and_exits_2()
    {
        var app = AppWithoutLibTorch();
        var empty = Directory.CreateTempSubdirectory("riskalign-no-python-").FullName; // a PATH with no python3
        var (exit, _, error) = RunApp(app, libTorch: null, path: empty);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("RISKALIGN_LIBTORCH (not set)", error);
        Assert.Contains("no python3 on PATH", error);
    }

    [NeedsLibTorchFolderFact]
    public void A_libtorch_folder_that_does_not_load_is_named_with_the_failing_file_and_the_loader_message()
    {
        var app = AppWithoutLibTorch();
        var broken = Directory.CreateTempSubdirectory("riskalign-broken-libtorch-").FullName;
        File.Copy(Path.Combine(LibTorchFolder!, "libc10.so"), Path.Combine(broken, "libc10.so"));
        File.WriteAllText(Path.Combine(broken, "libtorch_cpu.so"), "not an ELF file");
        var (exit, _, error) = RunApp(app, broken);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(Path.Combine(broken, "libtorch_cpu.so") + " did not load", error);
    }
}
