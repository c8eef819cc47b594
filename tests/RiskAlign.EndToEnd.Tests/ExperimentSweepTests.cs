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

    private const string TinyImdbSentiment = """
        {
          "name": "e2e-imdb",
          "task": { "name": "imdb-sentiment", "settings": { "width": 16, "layers": 1, "heads": 2, "context": 20, "sft_steps": 3, "sft_batch_size": 4,
                    "sft_reviews": 100, "train_pairs": 16, "eval_pairs": 8, "eval_samples": 8, "response_length": 6,
                    "classifier_train_examples": 500, "classifier_test_examples": 100, "classifier_epochs": 1 } },
          "training": { "steps": 4, "batch_size": 4, "learning_rate": 0.001, "eval_every": 2 },
          "seeds": [0],
          "arms": [
            { "name": "dpo", "loss": { "name": "dpo", "params": { "beta": 0.1 } }, "uncertainty_set": { "name": "nominal" } },
            { "name": "tdpo2", "loss": { "name": "tdpo2", "params": { "beta": 0.1, "alpha": 0.5 } }, "uncertainty_set": { "name": "nominal" } },
            { "name": "ra-dpo2/cvar", "loss": { "name": "ra-dpo2", "params": { "beta": 0.1, "alpha": 0.5 } },
              "risk": { "name": "cvar", "params": { "confidence_level": 0.95 } }, "uncertainty_set": { "name": "nominal" } }
          ],
          "max_concurrent_trials": 2
        }
        """;

    [Fact]
    public async Task Imdb_sentiment_runs_DPO_TDPO2_and_Ra_DPO2_through_the_silo_and_records_the_papers_curves()
    {
        using var folder = new TempFolder();
        var console = new CapturedConsole();
        var output = Path.Combine(folder.Path, "out");

        int exit = await new SweepRun(new RunSettings
        {
            Spec = new FileInfo(folder.File("imdb.json", TinyImdbSentiment)),
            Out = new DirectoryInfo(output),
            CpuSlots = 2,
        }, console.Console).ExecuteAsync(CancellationToken.None);

        Assert.True(exit == 0, console.Text);
        Assert.True(new FileInfo(Path.Combine(output, "curves.png")).Length > 0, "the training curves are missing");
        var trials = File.ReadAllLines(Path.Combine(output, "trials.csv"));
        Assert.Equal(1 + 3, trials.Length);
        var header = trials[0].Split(',');
        foreach (var column in new[] { "kl/seq_chosen", "kl/seq_rejected", "rewards/accuracies", "kl/true", "reward/true", "task/classifier/test_accuracy" })
            Assert.Contains(column, header);
        var history = File.ReadLines(Path.Combine(output, "history.csv")).First().Split(',');
        Assert.Contains("kl/seq_chosen", history);
    }

    [Fact]
    public void The_shipped_imdb_sentiment_spec_names_the_task_and_the_three_arms()
    {
        var spec = RiskAlign.Framework.Sweeps.SweepSpec.Load(FindUp("plugins-config/sweeps/imdb-sentiment.json"));
        Assert.Equal("imdb-sentiment", spec.Task.Name);
        Assert.Equal(new[] { "dpo", "tdpo2", "ra-dpo2/cvar" }, spec.Arms.Select(a => a.Name));
    }

    private static string FindUp(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException(relative);
    }

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
