using RiskAlign.SweepClient.Running;

namespace RiskAlign.EndToEnd.Tests;

/// <summary>The papers' experiments as a user runs them, at a size that takes seconds: real plugins, stories260K and
/// the real assets, the embedded silo, and the experiment's own outputs (the preference-shift curve).</summary>
public sealed class ExperimentSweepTests
{
    private const string TinyEmotionShift = """
        {
          "name": "e2e-shift",
          "task": { "name": "emotion-shift", "settings": { "train_pairs": 24, "eval_pairs": 8, "eval_samples": 12, "response_length": 8,
                    "sft_steps": 10, "sft_batch_size": 8, "classifier_train_examples": 2000, "classifier_epochs": 2, "eval_alphas": "0, 0.5, 1" } },
          "training": { "steps": 4, "batch_size": 4, "learning_rate": 0.001, "eval_every": 2 },
          "seeds": [0],
          "arms": [
            { "name": "dpo", "loss": { "name": "dpo", "params": { "beta": 0.1 } }, "uncertainty_set": { "name": "nominal" } },
            { "name": "kldpo", "loss": { "name": "dpo", "params": { "beta": 0.1 } }, "uncertainty_set": { "name": "kl", "params": { "tau": 1.0 } } },
            { "name": "wdpo", "loss": { "name": "dpo", "params": { "beta": 0.1 } }, "uncertainty_set": { "name": "wasserstein", "params": { "rho": 1.0 } } }
          ],
          "max_concurrent_trials": 2
        }
        """;

    [Fact]
    public async Task Emotion_shift_runs_DPO_KLDPO_and_WDPO_through_the_silo_and_draws_the_shift_curve()
    {
        using var folder = new TempFolder();
        var console = new CapturedConsole();
        var output = Path.Combine(folder.Path, "out");

        int exit = await new SweepRun(new RunSettings
        {
            Spec = new FileInfo(folder.File("shift.json", TinyEmotionShift)),
            Out = new DirectoryInfo(output),
            CpuSlots = 2,
        }, console.Console).ExecuteAsync(CancellationToken.None);

        Assert.True(exit == 0, console.Text);
        Assert.True(new FileInfo(Path.Combine(output, "curve-reward-vs-alpha.png")).Length > 0, "the shift curve is missing");
        var header = File.ReadLines(Path.Combine(output, "trials.csv")).First().Split(',');
        Assert.Contains("reward/alpha=0.50", header);
        Assert.Contains("kl/true", header);
        Assert.Contains("task/classifier/test_accuracy", header);
        Assert.Contains("## `reward` vs `alpha`", File.ReadAllText(Path.Combine(output, "report.md")));
    }
}
