namespace RiskAlign.Framework.Tests.SweepsTests;

public sealed class SweepSpecTrainingTests
{
    private const string Source = "specs/test.json";

    private static TrainingSettings Training(string training) => SweepSpec.Parse(SweepSpecTests.With($"\"training\": {training}"), Source).Training;

    private static string Fails(string training) =>
        Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(SweepSpecTests.With($"\"training\": {training}"), Source)).Message;

    [Fact]
    public void A_preset_gives_the_references_recipe_and_the_specs_keys_override_it()
    {
        var raDpo = Training("""{"preset": "ra-dpo", "max_grad_norm": 2, "warmup_ratio": 0.1}""");
        Assert.Equal("ra-dpo", raDpo.Preset);
        Assert.Equal(0.01, raDpo.WeightDecay);
        Assert.Equal(0.1, raDpo.WarmupStartFactor);
        Assert.Equal(LearningRateSchedule.Cosine, raDpo.Schedule);
        Assert.Equal(2, raDpo.MaxGradNorm);                    // overridden
        Assert.Equal((0, 0.1), (raDpo.WarmupSteps, raDpo.WarmupRatio)); // the spec's warm-up replaces the preset's 150 steps

        var wdpo = Training("""{"preset": "wdpo"}""");
        Assert.Equal((0.9, 0.95, 1.0), (wdpo.Beta1, wdpo.Beta2, wdpo.MaxGradNorm));
        var trl = Training("""{"preset": "trl", "steps": 10}""");
        Assert.Equal((1e-6, 1.0, LearningRateSchedule.Linear, 10), (trl.LearningRate, trl.MaxGradNorm, trl.Schedule, trl.Steps));
    }

    [Fact]
    public void Optimiser_schedule_accumulation_and_logging_keys_are_read()
    {
        var t = Training("""
            {"betas": [0.8, 0.99], "eps": 1e-6, "lr_schedule": "linear", "min_lr_ratio": 0.1, "warmup_steps": 5, "warmup_start_factor": 0.5,
             "gradient_accumulation_steps": 4, "robust_group": "step", "log_every": 10}
            """);
        Assert.Equal((0.8, 0.99, 1e-6), (t.Beta1, t.Beta2, t.Epsilon));
        Assert.Equal((LearningRateSchedule.Linear, 0.1, 5, 0.5), (t.Schedule, t.MinLearningRateRatio, t.WarmupSteps, t.WarmupStartFactor));
        Assert.Equal((4, RobustGroup.Step, 10), (t.GradientAccumulationSteps, t.RobustGroup, t.LogEvery));
        Assert.Equal(new TrainingSettings(), Training("{}")); // defaults unchanged
    }

    [Fact]
    public void A_time_limit_in_minutes_is_read_and_there_is_none_by_default()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), Training("""{"time_limit_minutes": 1.5}""").TimeLimit);
        Assert.Equal(TimeSpan.FromDays(7), Training("""{"time_limit_minutes": 10080}""").TimeLimit);
        Assert.Null(Training("{}").TimeLimit);
    }

    [Fact]
    public void A_sweep_time_budget_in_minutes_is_read_checked_and_absent_by_default()
    {
        Assert.Equal(TimeSpan.FromHours(8), SweepSpec.Parse(SweepSpecTests.With("\"time_budget_minutes\": 480"), Source).TimeBudget);
        Assert.Null(SweepSpec.Parse(SweepSpecTests.With("\"seeds\": [0]"), Source).TimeBudget);
        Assert.Contains("time_budget_minutes: expected a number > 0, got -5",
            Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(SweepSpecTests.With("\"time_budget_minutes\": -5"), Source)).Message);
        Assert.Contains("time_budget_minutes: expected a number of minutes > 0 and at most 527040 (a year)",
            Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(SweepSpecTests.With("\"time_budget_minutes\": 600000"), Source)).Message);
    }

    [Theory]
    [InlineData("""{"time_limit_minutes": 0}""", "training.time_limit_minutes: expected a number > 0, got 0")]
    [InlineData("""{"time_limit_minutes": "30"}""", "training.time_limit_minutes: expected a number > 0, got the string \"30\"")]
    [InlineData("""{"time_limit_minutes": 10081}""", "training.time_limit_minutes: expected a number of minutes > 0 and at most 10080 (a week)")]
    [InlineData("""{"preset": "dpo"}""", "training.preset: unknown preset; expected one of: ra-dpo, wdpo, trl")]
    [InlineData("""{"betas": [0.9]}""", "training.betas: expected a list of two numbers")]
    [InlineData("""{"betas": [0.9, 1.0]}""", "training.betas[1]: expected a number in [0, 1)")]
    [InlineData("""{"lr_schedule": "step"}""", "training.lr_schedule: expected one of: \"constant\", \"linear\", \"cosine\"")]
    [InlineData("""{"robust_group": "batch"}""", "training.robust_group: expected one of: \"micro_batch\", \"step\"")]
    [InlineData("""{"warmup_ratio": 1.5}""", "training.warmup_ratio: expected a number in [0, 1]")]
    [InlineData("""{"warmup_steps": 3, "warmup_ratio": 0.1}""", "training.warmup_ratio: expected either warmup_steps or warmup_ratio, not both")]
    [InlineData("""{"gradient_accumulation_steps": 0}""", "training.gradient_accumulation_steps: expected an integer >= 1")]
    [InlineData("""{"eps": 0}""", "training.eps: expected a number > 0")]
    public void Bad_training_values_are_refused_naming_the_field(string training, string expected)
    {
        var message = Fails(training);
        Assert.StartsWith(Source + ": ", message);
        Assert.Contains(expected, message);
    }
}
