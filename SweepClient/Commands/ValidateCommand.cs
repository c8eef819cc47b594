using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>validate SPEC</c>: checks a sweep spec against the plugins, opens the task's files, and lists its trials, running nothing.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var input = new SpecInput();
        var command = new Command("validate", "Check a sweep spec against the loaded plugins' parameter schemas, open the task's files (model, tokenizer, preference pairs), and list its trials; runs nothing. Exit 0: valid; 2: the one-line error names the file, line or field.")
;
        input.AddTo(command);
        command.SetAction(parse =>
        {
            try
            {
                var file = parse.GetRequiredValue(input.Spec);
                var plan = input.Prepare(parse);
                var table = new Table().AddColumns("#", "arm", "trial");
                foreach (var trial in plan.Trials) table.AddRow(trial.Index.ToString(), Markup.Escape(trial.Arm), Markup.Escape(trial.Label));
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"[green]{Markup.Escape(file.Name)} is valid:[/] {plan.TrialCount} trials{(plan.Search is { Arms.Count: > 0 } s ? $" ({s.MaxTrials} nsga2 settings per arm × {s.Seeds.Count} seeds, proposed while the sweep runs)" : "")}.");
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
