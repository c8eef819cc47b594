using RiskAlign.Framework.Comparison;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>compare A B ...</c>: sweep output folders side by side, from their files alone (no cluster).</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var folders = new Argument<DirectoryInfo[]>("folders") { Description = "Sweep output folders (the --out of run or results), each with trials.csv and trace.jsonl", Arity = ArgumentArity.OneOrMore };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Also write compare.md, compare.png and compare.svg here" };
        var metrics = new Option<string[]>("--metric") { Description = "trials.csv column to tabulate arm by arm (repeatable; default: drift, reward, wall_seconds)", AllowMultipleArgumentsPerToken = true };
        var command = new Command("compare", "Compare sweeps from their output folders alone: Pareto fronts on one plot, hypervolumes against one shared reference point, a table per metric arm by arm, and each trial's trace id and span timings (task build, train, eval) from trace.jsonl. Exit 0; 2: a folder or file is missing or malformed (the message names it).")
        {
            folders, output, metrics,
        };
        command.SetAction(parse =>
        {
            try
            {
                var sweeps = parse.GetRequiredValue(folders).Select(f => SweepFolder.Load(f.ToString())).ToList(); // as typed, for the report
                var comparison = SweepComparison.Of(sweeps);
                var chosen = parse.GetValue(metrics) is { Length: > 0 } m ? m : ComparisonMarkdownWriter.DefaultMetrics;
                string? plot = null;
                if (parse.GetValue(output) is { } outDir)
                {
                    Running.OutputFolder.Prepare(outDir, overwrite: true);
                    ComparisonPlotter.Write(Path.Combine(outDir.FullName, "compare.png"), Path.Combine(outDir.FullName, "compare.svg"), comparison);
                    plot = "compare.png";
                    using var file = new StreamWriter(Path.Combine(outDir.FullName, "compare.md"));
                    ComparisonMarkdownWriter.Write(file, comparison, chosen, plot);
                }
                ComparisonMarkdownWriter.Write(Console.Out, comparison, chosen, plot);
                return 0;
            }
            catch (Exception e) when (e is ComparisonInputException || UserErrors.IsUserError(e))
            {
                return UserErrors.Report(e);
            }
        });
        return command;
    }
}
