using System.Runtime.CompilerServices;
using RiskAlign.Framework.Models.TorchRuntime;

namespace RiskAlign.Tests.Shared;

/// <summary>Gives the test process the native set-up the apps get first thing in Main (<see cref="LibTorchLocator.EnsureLoaded"/>:
/// MKL's kernel choice). It must be in place before the first matmul, so it runs as the test
/// assembly loads.</summary>
internal static class TorchRuntimeInitializer
{
#pragma warning disable CA2255 // a test assembly is the entry point here: nothing else runs before its tests
    [ModuleInitializer]
    internal static void Apply() => LibTorchLocator.EnsureLoaded();
#pragma warning restore CA2255
}
