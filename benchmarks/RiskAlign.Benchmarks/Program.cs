using System.Globalization;
using RiskAlign.Benchmarks;
using RiskAlign.Framework.Plugins;
using static RiskAlign.Benchmarks.StepTimeBenchmark;

// dotnet run -c Release --project benchmarks/RiskAlign.Benchmarks [-- STEPS BATCH]
// dotnet run -c Release --project benchmarks/RiskAlign.Benchmarks -- step --model DIR ...   (the PyTorch peer's step)
RiskAlign.Framework.Models.TorchRuntime.LibTorchLocator.EnsureLoaded();
if (args.Length > 0 && args[0] == "step") return PeerStepBenchmark.Run(args[1..]);
// dotnet run -c Release --project benchmarks/RiskAlign.Benchmarks -- sample [--model DIR] [--prompts N] [--new-tokens T] ...
if (args.Length > 0 && args[0] == "sample")
{
    SamplingBenchmark.Run(args[1..]);
    return 0;
}
int steps = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 80;
int batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;
var catalog = PluginCatalog.LoadDefault();
var bench = new StepTimeBenchmark(catalog, steps, batch, warmupSteps: 10);
Configuration[] configurations =
[
    new("dpo + nominal", "dpo", null, "nominal"),
    new("ipo + nominal", "ipo", null, "nominal"),
    new("tdpo1 + nominal", "tdpo1", null, "nominal"),
    new("tdpo2 + nominal", "tdpo2", null, "nominal"),
    new("ra-dpo1 + cvar + nominal", "ra-dpo1", "cvar", "nominal"),
    new("ra-dpo2 + cvar + nominal", "ra-dpo2", "cvar", "nominal"),
    new("ra-dpo2 + entropic + nominal", "ra-dpo2", "entropic", "nominal"),
    new("ra-dpo2 + expectation + nominal", "ra-dpo2", "expectation", "nominal"),
    new("dr-dpo + nominal", "dr-dpo", null, "nominal"),
    new("dpo + kl (KLDPO)", "dpo", null, "kl"),
    new("dpo + wasserstein (WDPO)", "dpo", null, "wasserstein"),
    new("ra-dpo2 + cvar + wasserstein", "ra-dpo2", "cvar", "wasserstein"),
];
bench.Measure(configurations[0]); // warm the task cache and the JIT so the first row is not penalised
var rows = configurations.Select(bench.Measure).ToList();
double baseline = rows[0].MedianMs;
Console.WriteLine($"Synthetic task defaults, {steps} steps of {batch} pairs, first 10 steps dropped; torch threads {TorchSharp.torch.get_num_threads()}.");
Console.WriteLine();
Console.WriteLine("| configuration | median step (ms) | p90 step (ms) | × DPO | tokens/s | status |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var row in rows)
    Console.WriteLine($"| {row.Configuration.Label} | {Format(row.MedianMs)} | {Format(row.P90Ms)} | {Format(row.MedianMs / baseline)} | {row.TokensPerSecond:F0} | {row.Status} |");
return 0;
