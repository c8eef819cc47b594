using RiskAlign.SweepClient.Cluster;
using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary>Turns errors a user can cause into one clear line on stderr and exit code 2, never a stack trace.</summary>
internal static class UserErrors
{
    /// <summary>Bad input: spec, file, folder, unknown sweep id. Nothing ran.</summary>
    public const int ExitCode = 2;

    /// <summary>No cluster answered at the address given.</summary>
    public const int UnreachableExitCode = 3;

    public static bool IsUserError(Exception e) =>
        e is SweepSpecException or PluginCatalogException or FileNotFoundException or DirectoryNotFoundException
        or InputCheckException or ClusterUnreachableException or UnknownSweepException or OutputFolderInUseException;

    public static int Report(Exception e)
    {
        // Plain text, never wrapped: the message names files and JSON paths a user may copy.
        Console.Error.WriteLine($"error: {e.Message}");
        return e is ClusterUnreachableException ? UnreachableExitCode : ExitCode;
    }
}
