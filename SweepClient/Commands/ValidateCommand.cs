using System.CommandLine;
using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Sweeps;
using Spectre.Console;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>validate SPEC</c>: checks a sweep spec against the plugins and lists its trials, running nothing.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var spec = CommonOptions.Spec();
        var plugins = CommonOptions.Plugins();
        var command = new Command("validate", "Check a sweep spec against the loaded plugins' parameter schemas and list its trials; runs nothing.") { spec, plugins };
        command.SetAction(parse =>
        {
            try
            {
                var catalog = parse.GetValue(plugins) is { } path ? PluginCatalog.Load(path.FullName) : PluginCatalog.LoadDefault();
                var file = parse.GetRequiredValue(spec);
                var sweep = SweepSpec.Load(file.FullName);
                var trials = SweepPlanner.Expand(sweep, catalog, sweep.Name);
                var table = new Table().AddColumns("#", "arm", "trial");
                foreach (var trial in trials) table.AddRow(trial.Index.ToString(), Markup.Escape(trial.Arm), Markup.Escape(trial.Label));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"[green]{Markup.Escape(file.Name)} is valid:[/] {trials.Count} trials.");
                return 0;
            }
            catch (Exception e) when (UserErrors.IsUserError(e))
            {
                return UserErrors.Report(e);
            }
        });
        return command;
    }
}
