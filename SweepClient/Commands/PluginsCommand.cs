using RiskAlign.Abstractions;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>plugins</c>: lists the loaded losses, risk measures and uncertainty sets with their parameters.</summary>
internal static class PluginsCommand
{
    public static Command Create()
    {
        var plugins = CommonOptions.Plugins();
        var command = new Command("plugins", "List the plugins named in plugins.json: losses, risk measures, uncertainty sets, and their parameters.") { plugins };
        command.SetAction(parse =>
        {
            try
            {
                var catalog = parse.GetValue(plugins) is { } path ? PluginCatalog.Load(path.FullName) : PluginCatalog.LoadDefault();
                Write("Losses", catalog.Losses);
                Write("Risk measures", catalog.RiskMeasures);
                Write("Uncertainty sets", catalog.UncertaintySets);
                return 0;
            }
            catch (Exception e) when (UserErrors.IsUserError(e))
            {
                return UserErrors.Report(e);
            }
        });
        return command;
    }

    private static string FormatDefault(ParameterSpec spec) =>
        spec.Kind == ParameterKind.Boolean ? (spec.Default.Number != 0 ? "true" : "false") : spec.Default.ToString();

    private static void Write(string title, IEnumerable<IPlugin> plugins)
    {
        var table = new Table().Title($"[bold]{title}[/]").AddColumns("name", "parameters", "description");
        foreach (var plugin in plugins)
        {
            var parameters = plugin.Parameters.Count == 0
                ? "-"
                : string.Join("\n", plugin.Parameters.Select(p => $"{p.Name}: {p.Expected}, default {FormatDefault(p)}{(p.LogScale ? ", log scale" : "")}"));
            table.AddRow(Markup.Escape(plugin.Name), Markup.Escape(parameters), Markup.Escape(plugin.Description));
        }
        AnsiConsole.Write(table);
    }
}
