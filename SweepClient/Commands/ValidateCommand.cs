using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>validate SPEC</c>: checks a sweep spec against the plugins, opens the task's files, and lists its trials, running nothing.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var spec = CommonOptions.Spec();
        var plugins = CommonOptions.Plugins();
        var assets = CommonOptions.Assets();
        var command = new Command("validate", "Check a sweep spec against the loaded plugins' parameter schemas, open the task's files (model, tokenizer, preference pairs), and list its trials; runs nothing. Exit 0: valid; 2: the one-line error names the file, line or field.")
        {
            spec, plugins, assets,
        };
        command.SetAction(parse =>
        {
            try
            {
                var file = parse.GetRequiredValue(spec);
                var plan = SweepPlan.Prepare(file, parse.GetValue(plugins), parse.GetValue(assets));
                var table = new Table().AddColumns("#", "arm", "trial");
                foreach (var trial in plan.Trials) table.AddRow(trial.Index.ToString(), Markup.Escape(trial.Arm), Markup.Escape(trial.Label));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"[green]{Markup.Escape(file.Name)} is valid:[/] {plan.Trials.Count} trials.");
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
