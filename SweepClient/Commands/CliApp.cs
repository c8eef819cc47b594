namespace RiskAlign.SweepClient.Commands;

/// <summary>The command tree of <c>SweepClient</c>.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("RiskAlign: compare preference-optimisation losses by how far they drift from the reference and how much reward they gain, as hyperparameter sweeps on an Orleans cluster (embedded by default).");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(LaunchCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(WatchCommand.Create());
        root.Subcommands.Add(CancelCommand.Create());
        root.Subcommands.Add(ResultsCommand.Create());
        root.Subcommands.Add(ListCommand.Create());
        root.Subcommands.Add(ResumeCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(PluginsCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        return root;
    }
}
