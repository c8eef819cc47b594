using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Sweeps;

namespace RiskAlign.SweepClient.Commands;

/// <summary>Turns errors a user can cause into one clear line on stderr and exit code 2, never a stack trace.</summary>
internal static class UserErrors
{
    public const int ExitCode = 2;

    public static bool IsUserError(Exception e) =>
        e is SweepSpecException or PluginCatalogException or FileNotFoundException or DirectoryNotFoundException
        or Running.OutputFolderInUseException or Cluster.ClusterUnreachableException;

    public static int Report(Exception e)
    {
        // Plain text, never wrapped: the message names files and JSON paths a user may copy.
        Console.Error.WriteLine($"error: {e.Message}");
        return ExitCode;
    }
}
