using RiskAlign.Silo.Trials;
using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Commands;

/// <summary><c>run SPEC</c>: runs a sweep and writes trials.csv, history.csv, pareto.json, plots and a report.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var input = new SpecInput();
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default: runs/<sweep id>)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Write into a non-empty --out folder, replacing its results (default: refuse)" };
        var gateway = new Option<int?>("--gateway") { Description = "Gateway port of a running localhost RiskAlign cluster (default: start an embedded silo)" };
        var adoNet = new Option<string?>("--adonet") { Description = "ADO.NET connection string of a distributed cluster's membership database" };
        var cpuSlots = new Option<int?>("--cpu-slots") { Description = "Trials the embedded silo runs at once on the CPU (default: half the cores)" };
        var threads = new Option<int?>("--torch-threads") { Description = "Torch intra-op threads in the embedded silo (default: torch's)" };
        var dashboard = new Option<int?>("--dashboard") { Description = "Serve the Orleans Dashboard and a live drift-vs-reward page of the embedded silo on http://localhost:PORT/ while the sweep runs" };
        var cache = new Option<DirectoryInfo?>("--cache") { Description = $"Task-build cache folder of the embedded silo (default: {PluginOptions.DefaultTaskCache}; a running cluster's silos use their own)" };
        var noCache = new Option<bool>("--no-cache") { Description = "Build tasks without the on-disk cache (neither read nor written)" };
        var referenceBudget = new Option<string?>("--reference-budget") { Description = "Memory the frozen reference's outputs on a task's pairs may take, computed once and shared by its trials on the embedded silo: a size (512MiB) or a fraction of device memory (25%); 0 = a reference forward every step (default 256MiB)" };
        referenceBudget.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text)
                try { Framework.Training.ReferenceOutputBudget.Parse(text); }
                catch (FormatException e) { result.AddError(e.Message); }
        });
        var traceConsole = new Option<bool>("--trace-console") { Description = "Also print spans and metrics to the console" };
        var otlp = new Option<string?>("--otlp") { Description = "OTLP endpoint for spans and metrics (default: OTEL_EXPORTER_OTLP_ENDPOINT)" };
        var resume = new Option<string?>("--resume") { Description = "Finish this sweep id instead of starting a new one: on the embedded cluster saved in --out (default runs/<id>) when its process died, or on --gateway/--adonet. Finished trials are kept, unfinished and cancelled ones run again from the start" };
        var command = new Command("run", "Run a sweep: validate the spec, train every trial on the cluster, print the trials and the drift-vs-reward Pareto front, write trials.csv, history.csv, pareto.json, plots, report.md and trace.jsonl. The embedded cluster keeps its state in --out/state, so a run whose process died finishes with --resume ID. Exit 0: completed; 1: some trial failed; 2: bad input (nothing ran); 3: cluster unreachable; 130: cancelled (Ctrl+C).")
        {
            output, overwrite, gateway, adoNet, cpuSlots, threads, dashboard, cache, noCache, referenceBudget, traceConsole, otlp, resume,
        };
        input.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new RunSettings
            {
                Spec = parse.GetRequiredValue(input.Spec),
                Out = parse.GetValue(output),
                Overwrite = parse.GetValue(overwrite),
                Plugins = parse.GetValue(input.Plugins),
                Assets = parse.GetValue(input.Assets),
                Gateway = parse.GetValue(gateway),
                AdoNetConnectionString = parse.GetValue(adoNet),
                CpuSlots = parse.GetValue(cpuSlots),
                TorchThreads = parse.GetValue(threads),
                Dashboard = parse.GetValue(dashboard),
                TaskCache = parse.GetValue(noCache) ? null : parse.GetValue(cache)?.FullName ?? PluginOptions.DefaultTaskCache,
                ReferenceBudget = parse.GetValue(referenceBudget),
                TraceConsole = parse.GetValue(traceConsole),
                OtlpEndpoint = parse.GetValue(otlp),
                ResumeId = parse.GetValue(resume),
            };
            if (SweepRun.FindDashboardProblem(settings) is { } problem)
            {
                Console.Error.WriteLine($"error: {problem}");
                return UserErrors.ExitCode;
            }
            try
            {
                return await new SweepRun(settings, AnsiConsole.Console).ExecuteAsync(cancellationToken);
            }
            catch (Exception e) when (UserErrors.IsUserError(e))
            {
                return UserErrors.Report(e);
            }
        });
        return command;
    }
}
