using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace RiskAlign.Framework.Models.TorchRuntime;

/// <summary>
/// Finds and loads the libtorch an app built with <c>-p:TorchBackend=system</c> runs on (the app folder then holds
/// TorchSharp's own <c>libLibTorchSharp.so</c> but no libtorch). Looks in <c>RISKALIGN_LIBTORCH</c> (a folder), else
/// in the <c>torch</c> package of the <c>python3</c> on PATH (<c>…/site-packages/torch/lib</c>).
/// The libraries are loaded by full path before TorchSharp initialises: TorchSharp then asks the loader for
/// <c>torch_cpu</c> and <c>LibTorchSharp</c> by name, and the loader answers with the libraries already in the
/// process (matched by their soname), so no <c>LD_LIBRARY_PATH</c> or re-exec is needed.
/// Must run before the first TorchSharp call; apps call <see cref="EnsureLoaded"/> first thing in Main.
/// </summary>
public static class LibTorchLocator
{
    /// <summary>The environment variable naming a libtorch folder (the one holding <c>libtorch_cpu.so</c>).</summary>
    public const string EnvironmentVariable = "RISKALIGN_LIBTORCH";

    // Load order matters only for libraries that others need and cannot find through their RUNPATH;
    // loading the dependencies first keeps every later load a soname match.
    private static readonly (string Name, bool Required)[] Libraries =
    [
        ("libtorch_global_deps.so", false), ("libc10.so", true), ("libtorch_cpu.so", true),
        ("libc10_cuda.so", false), ("libtorch_cuda.so", false), ("libtorch.so", false),
    ];
    private static readonly object Gate = new();
    private static LibTorchInfo? _loaded;

    /// <summary>What was loaded, or null when the app carries its own libtorch (cpu/cuda packages) or nothing was loaded yet.</summary>
    public static LibTorchInfo? Loaded { get { lock (Gate) return _loaded; } }

    /// <summary>True when the app folder holds no libtorch of its own, so it must be found (a <c>system</c> build).</summary>
    public static bool AppNeedsSystemLibTorch(string? appDirectory = null)
    {
        var directory = appDirectory ?? AppContext.BaseDirectory;
        if (!OperatingSystem.IsLinux()) return false;
        return !File.Exists(Path.Combine(directory, "libtorch_cpu.so"))
            && !File.Exists(Path.Combine(directory, "runtimes", "linux-x64", "native", "libtorch_cpu.so"));
    }

    /// <summary>
    /// In a <c>system</c> build, finds and loads libtorch (once per process); first, in every build, applies
    /// <see cref="MklCpuDispatch"/>.
    /// Throws <see cref="LibTorchNotFoundException"/> with one line naming what was tried or which file failed.
    /// </summary>
    public static LibTorchInfo? EnsureLoaded()
    {
        MklCpuDispatch.Apply(); // before anything reaches libtorch's MKL, whichever libtorch it is
        lock (Gate)
        {
            if (_loaded is not null || !AppNeedsSystemLibTorch()) return _loaded;
            var (folder, source) = Find();
            _loaded = Load(folder, source);
            return _loaded;
        }
    }

    /// <summary>Where libtorch would come from: the folder and how it was found. Throws when neither place has it.</summary>
    public static (string Folder, string Source) Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var folder = Path.GetFullPath(fromEnvironment);
            if (!Directory.Exists(folder))
                throw new LibTorchNotFoundException($"{EnvironmentVariable}={fromEnvironment}: no such folder (expected the folder holding libtorch_cpu.so).");
            if (!File.Exists(Path.Combine(folder, "libtorch_cpu.so")))
                throw new LibTorchNotFoundException($"{EnvironmentVariable}={fromEnvironment}: the folder has no libtorch_cpu.so (expected a libtorch lib folder, e.g. …/site-packages/torch/lib).");
            return (folder, EnvironmentVariable);
        }
        var (pythonFolder, pythonProblem) = AskPython();
        if (pythonFolder is not null) return (pythonFolder, "python3 torch");
        throw new LibTorchNotFoundException(
            $"libtorch not found: this build (TorchBackend=system) bundles none; tried {EnvironmentVariable} (not set) and the torch package of python3 on PATH ({pythonProblem}). " +
            $"Set {EnvironmentVariable} to a libtorch lib folder or install PyTorch for python3.");
    }

    private static (string? Folder, string Problem) AskPython()
    {
        try
        {
            var start = new ProcessStartInfo("python3", ["-c", "import torch,os;print(os.path.dirname(torch.__file__))"])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            var error = process.StandardError.ReadToEnd().Trim();
            process.WaitForExit();
            if (process.ExitCode != 0)
                return (null, $"'import torch' failed: {error.Split('\n').LastOrDefault()?.Trim()}");
            var lib = Path.Combine(output, "lib");
            return File.Exists(Path.Combine(lib, "libtorch_cpu.so")) ? (lib, "") : (null, $"{lib} has no libtorch_cpu.so");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (null, "no python3 on PATH");
        }
    }

    /// <summary>Loads the libtorch libraries of <paramref name="folder"/> by full path; one line on failure.</summary>
    public static LibTorchInfo Load(string folder, string source)
    {
        var loaded = new List<string>();
        foreach (var (name, required) in Libraries)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
            {
                if (required) throw new LibTorchNotFoundException($"{path}: missing (libtorch from {source}).");
                continue;
            }
            try
            {
                NativeLibrary.Load(path);
                loaded.Add(name);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new LibTorchNotFoundException($"{path} did not load (libtorch from {source}): {OneLine(e.Message)}");
            }
        }
        // TorchSharp's own library next to the app: loading it now reports an ABI mismatch (undefined symbols)
        // as one line here instead of a TorchSharp trace later.
        // (A RID-less build keeps it under runtimes/linux-x64/native; a publish puts it next to the app.)
        var bridge = new[] { AppContext.BaseDirectory, Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native") }
            .Select(d => Path.Combine(d, "libLibTorchSharp.so")).FirstOrDefault(File.Exists);
        if (bridge is not null)
        {
            try { NativeLibrary.Load(bridge); }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new LibTorchNotFoundException($"{bridge} did not load against libtorch in {folder} ({source}): {OneLine(e.Message)}");
            }
        }
        return new LibTorchInfo(folder, source, ReadVersion(folder), loaded.Contains("libtorch_cuda.so"));
    }

    /// <summary>The libtorch version: torch/version.py of a Python install, build-version of a libtorch zip, or the
    /// NuGet package folder's version; "unknown" otherwise.</summary>
    public static string ReadVersion(string folder)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(folder).TrimEnd('/')) ?? folder;
        var versionPy = Path.Combine(parent, "version.py");
        if (File.Exists(versionPy))
        {
            var match = Regex.Match(File.ReadAllText(versionPy), @"__version__\s*=\s*['""]([^'""]+)['""]");
            if (match.Success) return match.Groups[1].Value;
        }
        var buildVersion = Path.Combine(parent, "build-version");
        if (File.Exists(buildVersion)) return File.ReadAllText(buildVersion).Trim();
        var package = Regex.Match(folder.Replace('\\', '/'), @"/libtorch-[^/]+/(\d+\.\d+\.\d+[^/]*)/runtimes/");
        return package.Success ? package.Groups[1].Value : "unknown";
    }

    private static string OneLine(string message) => Regex.Replace(message, @"\s+", " ").Trim();
}

/// <summary>What <see cref="LibTorchLocator"/> loaded.</summary>
/// <param name="Folder">The libtorch lib folder.</param>
/// <param name="Source">How it was found: the environment variable or <c>python3 torch</c>.</param>
/// <param name="Version">The libtorch version, or "unknown".</param>
/// <param name="HasCudaLibrary">Whether the folder holds <c>libtorch_cuda.so</c> (a CUDA build of torch).</param>
public sealed record LibTorchInfo(string Folder, string Source, string Version, bool HasCudaLibrary);

/// <summary>libtorch could not be found or loaded; the message is one line for the user.</summary>
public sealed class LibTorchNotFoundException(string message) : Exception(message);
