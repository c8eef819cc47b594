using System.Text.RegularExpressions;
using Spectre.Console;
using RiskAlign.SweepClient.Commands;

namespace RiskAlign.SweepClient.Tests;

/// <summary>Runs the CLI in-process with stdout and stderr captured. Tests that use it share the "Console"
/// collection, since the console is process-wide.</summary>
internal static class CliInvocation
{
    public static async Task<(int Exit, string Out, string Error)> InvokeAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (previousOut, previousError, previousAnsi) = (Console.Out, Console.Error, AnsiConsole.Console);
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            // Spectre's console binds to the stdout it first saw: point it at this invocation's, wide enough that
            // tables keep ids on one line.
            var ansi = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, ColorSystem = ColorSystemSupport.NoColors, Ansi = AnsiSupport.No,
            });
            ansi.Profile.Width = 250;
            AnsiConsole.Console = ansi;
            int exit = await CliApp.Build().Parse(args).InvokeAsync();
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
            AnsiConsole.Console = previousAnsi;
        }
    }

    /// <summary>The counts <c>cancel</c> prints: trials kept completed, and trials stopped or never started.</summary>
    public static (int Kept, int Stopped) CancelCounts(string stdout)
    {
        var cancelled = Regex.Match(stdout, @"(\d+) completed trials kept, (\d+) stopped or never started");
        Assert.True(cancelled.Success, stdout);
        return (int.Parse(cancelled.Groups[1].Value), int.Parse(cancelled.Groups[2].Value));
    }

    public static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException(relative);
    }
}

[CollectionDefinition("Console", DisableParallelization = true)]
public sealed class ConsoleCollection;
