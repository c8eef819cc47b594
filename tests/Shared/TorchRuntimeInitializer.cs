using System.Runtime.CompilerServices;
using RiskAlign.Framework.Models.TorchRuntime;

namespace RiskAlign.Tests.Shared;

/// <summary>Gives the test process the matmul path the apps run (<see cref="MklCpuDispatch"/>, which the apps apply
/// first thing in Main): it must be in place before the first matmul, so it runs as the test assembly loads.</summary>
internal static class MklCpuDispatchInitializer
{
#pragma warning disable CA2255 // a test assembly is the entry point here: nothing else runs before its tests
    [ModuleInitializer]
    internal static void Apply() => MklCpuDispatch.Apply();
#pragma warning restore CA2255
}
