using System.Globalization;

namespace RiskAlign.SweepClient.Tests;

/// <summary>The spec the cluster tests run: DPO over a few β on a small synthetic task (seconds per trial, task build
/// included), evaluated halfway and at the end.</summary>
internal static class SmallSyntheticSpec
{
    /// <summary>Writes the spec named <paramref name="name"/> into <paramref name="folder"/> and returns its path.</summary>
    public static string Write(TempFolder folder, string name, int maxConcurrent, double[] betas, int steps) =>
        folder.File($"{name}-{maxConcurrent}-{steps}.json", $$"""
        {
          "name": "{{name}}",
          "task": { "name": "synthetic", "settings": { "train_pairs": 64, "eval_pairs": 16, "eval_samples": 32, "sft_steps": 30 } },
          "training": { "steps": {{steps}}, "batch_size": 8, "learning_rate": 0.002, "eval_every": {{steps / 2}} },
          "seeds": [0],
          "arms": [ { "loss": { "name": "dpo", "params": { "beta": [{{string.Join(", ", betas.Select(b => b.ToString(CultureInfo.InvariantCulture)))}}] } }, "uncertainty_set": { "name": "nominal" } } ],
          "max_concurrent_trials": {{maxConcurrent}}
        }
        """);
}
