using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Sweeps;
using Spectre.Console;

namespace RiskAlign.SweepClient.Commands;

/// <summary>Turns errors a user can cause into one clear line on stderr and exit code 2, never a stack trace.</summary>
internal static class UserErrors
{
    public const int ExitCode = 2;

    public static bool IsUserError(Exception e) =>
        e is SweepSpecException or PluginCatalogException or FileNotFoundException or DirectoryNotFoundException;

    public static int Report(Exception e)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
        return ExitCode;
    }
}
