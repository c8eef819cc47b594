using Spectre.Console;

namespace RiskAlign.EndToEnd.Tests;

/// <summary>A non-interactive Spectre console writing into a string, as CI's console is.</summary>
internal sealed class CapturedConsole
{
    private readonly StringWriter _writer = new();

    public CapturedConsole() => Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(_writer),
        Interactive = InteractionSupport.No,
        Ansi = AnsiSupport.No,
    });

    public IAnsiConsole Console { get; }

    public string Text => _writer.ToString();
}
