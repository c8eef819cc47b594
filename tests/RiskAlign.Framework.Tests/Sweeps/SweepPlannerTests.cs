using static RiskAlign.Framework.Tests.SweepsTests.SweepSpecTests;

namespace RiskAlign.Framework.Tests.SweepsTests;

public sealed class SweepPlannerTests
{
    private const string Source = "specs/plan.json";

    private static IReadOnlyList<TrialDefinition> Expand(string json) => PlannerProbe.Expand(json, Source);

    private static string Fails(string json) => PlannerProbe.Fails(json, Source);

    private static double Number(PluginChoice choice, string name) => choice.Values[name].Number;

    [Fact]
    public void The_documented_example_expands_arm_by_arm_params_in_declared_order_seeds_innermost()
    {
        var trials = Expand(Quickstart);

        // dpo: 3 betas × 2 seeds; ra-dpo2/cvar: 2 alphas × 3 taus × 2 seeds.
        Assert.Equal(3 * 2 + 2 * 3 * 2, trials.Count);
        Assert.Equal(Enumerable.Range(0, trials.Count), trials.Select(t => t.Index));
        Assert.Equal("sw-7", trials[7].Id);
        Assert.All(trials, t => Assert.Equal("sw", t.SweepId));

        var dpo = trials.Take(6).ToList();
        Assert.All(dpo, t => Assert.Equal("dpo", t.Arm));
        Assert.Equal([0.05, 0.05, 0.1, 0.1, 0.5, 0.5], dpo.Select(t => Number(t.Loss, "beta")));
        Assert.Equal([0, 1, 0, 1, 0, 1], dpo.Select(t => t.Training.Seed));
        Assert.All(dpo, t => Assert.Null(t.Risk));

        var ra = trials.Skip(6).ToList();
        Assert.All(ra, t => Assert.Equal("ra-dpo2/cvar", t.Arm));
        Assert.Equal([0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7], ra.Select(t => Number(t.Loss, "alpha")));
        // tau = 0.5·4^(i/2): 0.5, 1, 2 (the geometric mean of 0.5 and 2 is 1).
        var taus = ra.Select(t => Number(t.UncertaintySet, "tau")).ToList();
        Assert.Equal([0.5, 0.5, 1, 1, 2, 2, 0.5, 0.5, 1, 1, 2, 2], taus.Select(x => Math.Round(x, 12)));
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], ra.Select(t => t.Training.Seed));
        Assert.All(ra, t => Assert.Equal(0.95, Number(t.Risk!, "confidence_level")));

        Assert.All(trials, t => Assert.Equal(new TrainingSettings { Steps = 120, BatchSize = 16, LearningRate = 0.001, MaxGradNorm = 10, EvalEvery = 40, Seed = t.Training.Seed }, t.Training));
        Assert.All(trials, t => Assert.Equal(256, ((SyntheticTaskSettings)TaskCatalog.Settings(t.Task)).TrainPairs));
    }

    [Fact]
    public void Every_plugin_choice_is_complete_with_schema_defaults()
    {
        var trial = Expand(Quickstart)[6];
        Assert.Equal(["beta", "alpha", "detach_risk"], trial.Loss.Values.Keys);
        Assert.Equal(0.1, Number(trial.Loss, "beta"));
        Assert.Equal(ParameterValue.Of(false), trial.Loss.Values["detach_risk"]);
        Assert.Equal(ParameterValue.Of("mean"), Expand(Quickstart)[0].Loss.Values["reduction"]);
        Assert.Equal(5, Number(trial.UncertaintySet, "iterations"));
        Assert.Empty(Expand(Quickstart)[0].UncertaintySet.Values); // nominal takes none
    }

    [Fact]
    public void A_linear_range_is_evenly_spaced_with_both_ends_included()
    {
        var trials = Expand(With("", Arm("""{"name": "ra-dpo2", "params": {"alpha": {"min": 0.1, "max": 0.9, "count": 5, "scale": "linear"}}}""", """, "risk": {"name": "cvar"}""")));
        // 0.1 + i·(0.9 − 0.1)/4 = 0.1, 0.3, 0.5, 0.7, 0.9.
        Assert.Equal([0.1, 0.3, 0.5, 0.7, 0.9], trials.Select(t => Math.Round(Number(t.Loss, "alpha"), 12)));
    }

    [Fact]
    public void A_log_range_is_geometric()
    {
        var trials = Expand(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 0.001, "max": 10, "count": 5, "scale": "log"}}}""")));
        // 0.001·10000^(i/4) = 0.001, 0.01, 0.1, 1, 10.
        var betas = trials.Select(t => Number(t.Loss, "beta")).ToList();
        Assert.Equal(0.001, betas[0]);
        Assert.Equal(10, betas[4]);
        Assert.Equal([0.01, 0.1, 1], betas.Skip(1).Take(3).Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void A_range_without_a_scale_follows_the_parameters_log_scale_flag()
    {
        // dpo's beta is declared log-scale: 0.01, 0.1, 1. kl's tau is not: 1, 2, 3.
        var betas = Expand(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 0.01, "max": 1, "count": 3}}}""")));
        Assert.Equal([0.01, 0.1, 1], betas.Select(t => Math.Round(Number(t.Loss, "beta"), 12)));
        var taus = Expand(With("", """[{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "kl", "params": {"tau": {"min": 1, "max": 3, "count": 3}}}}]"""));
        Assert.Equal([1.0, 2, 3], taus.Select(t => Number(t.UncertaintySet, "tau")));
    }

    [Fact]
    public void An_integer_range_is_rounded_and_must_stay_distinct()
    {
        var trials = Expand(With("", """[{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "kl", "params": {"iterations": {"min": 1, "max": 100, "count": 3, "scale": "log"}}}}]"""));
        Assert.Equal([1.0, 10, 100], trials.Select(t => Number(t.UncertaintySet, "iterations")));
        var message = Fails(With("", """[{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "kl", "params": {"iterations": {"min": 1, "max": 2, "count": 4}}}}]"""));
        Assert.Contains("arms[0].uncertainty_set.params.iterations: expected a range of distinct integers", message);
    }

    [Fact]
    public void A_single_value_and_a_range_of_count_one_give_one_trial_per_seed()
    {
        var trials = Expand(With("\"seeds\": [3, 4, 5]", Arm("""{"name": "dpo", "params": {"beta": {"min": 0.2, "max": 0.4, "count": 1}, "reduction": "sum"}}""")));
        Assert.Equal([3, 4, 5], trials.Select(t => t.Training.Seed));
        Assert.All(trials, t => Assert.Equal(0.2, Number(t.Loss, "beta")));
        Assert.All(trials, t => Assert.Equal("sum", t.Loss.Values["reduction"].Text));
    }

    [Fact]
    public void An_unknown_plugin_lists_the_known_ones_of_its_family()
    {
        Assert.Contains("arms[0].loss.name: unknown loss 'dpo2'; expected one of: dpo, ra-dpo2", Fails(With("", Arm("""{"name": "dpo2"}"""))));
        Assert.Contains("arms[0].uncertainty_set.name: unknown uncertainty set 'wass'; expected one of: kl, nominal",
            Fails(With("", """[{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "wass"}}]""")));
        Assert.Contains("arms[0].risk.name: unknown risk measure 'var'; expected one of: cvar, erm",
            Fails(With("", Arm("""{"name": "ra-dpo2"}""", """, "risk": {"name": "var"}"""))));
    }

    [Fact]
    public void A_parameter_outside_the_schema_lists_the_plugins_parameters()
    {
        Assert.Contains("arms[0].loss.params.alhpa: 'ra-dpo2' has no parameter 'alhpa'; expected one of: beta, alpha, detach_risk",
            Fails(With("", Arm("""{"name": "ra-dpo2", "params": {"alhpa": 0.3}}""", """, "risk": {"name": "cvar"}"""))));
        Assert.Contains("arms[0].uncertainty_set.params.tau: 'nominal' has no parameter 'tau'; expected one of: (it takes none)",
            Fails(With("", """[{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "nominal", "params": {"tau": 1}}}]""")));
    }

    [Fact]
    public void A_value_the_schema_rejects_is_named_with_its_path_and_the_expected_range()
    {
        Assert.Contains("arms[0].loss.params.alpha[1]: expected a real number in (0, 1), got 1.5",
            Fails(With("", Arm("""{"name": "ra-dpo2", "params": {"alpha": [0.5, 1.5]}}""", """, "risk": {"name": "cvar"}"""))));
        Assert.Contains("arms[0].loss.params.reduction: expected one of 'mean', 'sum', got 'max'",
            Fails(With("", Arm("""{"name": "dpo", "params": {"reduction": "max"}}"""))));
        Assert.Contains("arms[0].loss.params.alpha: range value 3 of 3: expected a real number in (0, 1), got 1",
            Fails(With("", Arm("""{"name": "ra-dpo2", "params": {"alpha": {"min": 0.5, "max": 1, "count": 3}}}""", """, "risk": {"name": "cvar"}"""))));
    }

    [Fact]
    public void Booleans_and_numbers_are_not_interchangeable()
    {
        Assert.Contains("arms[0].loss.params.beta: expected a real number > 0, got true",
            Fails(With("", Arm("""{"name": "dpo", "params": {"beta": true}}"""))));
        Assert.Contains("arms[0].loss.params.detach_risk: expected true or false, got 1",
            Fails(With("", Arm("""{"name": "ra-dpo2", "params": {"detach_risk": 1}}""", """, "risk": {"name": "cvar"}"""))));
        Assert.Contains("arms[0].loss.params.reduction: a range needs a numeric parameter; expected one of 'mean', 'sum'",
            Fails(With("", Arm("""{"name": "dpo", "params": {"reduction": {"min": 0, "max": 1, "count": 2}}}"""))));
        var trials = Expand(With("", Arm("""{"name": "ra-dpo2", "params": {"detach_risk": [false, true]}}""", """, "risk": {"name": "cvar"}""")));
        Assert.Equal([false, true], trials.Select(t => t.Loss.ToParameters().Boolean("detach_risk")));
    }

    [Fact]
    public void A_log_range_by_the_schemas_default_needs_a_positive_min()
    {
        Assert.Contains("arms[0].loss.params.beta.min: expected min > 0 on a log scale (the parameter's default scale",
            Fails(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 0, "max": 1, "count": 3}}}"""))));
    }

    [Fact]
    public void A_loss_that_needs_a_risk_measure_must_name_one_and_others_must_not()
    {
        Assert.Contains("arms[0]: loss 'ra-dpo2' needs a risk measure; expected a \"risk\" field naming one of: cvar, erm",
            Fails(With("", Arm("""{"name": "ra-dpo2"}"""))));
        Assert.Contains("arms[0].risk: loss 'dpo' and uncertainty set 'nominal' take no risk measure; expected no \"risk\" field",
            Fails(With("", Arm("""{"name": "dpo"}""", """, "risk": {"name": "cvar"}"""))));
    }

    [Fact]
    public void The_task_is_checked_against_the_task_catalog()
    {
        var unknown = Fails(With("").Replace("\"synthetic\"", "\"synthetc\""));
        Assert.Contains("task.name: unknown task 'synthetc'; expected one of: ", unknown);
        Assert.Contains("synthetic", unknown[unknown.IndexOf("expected one of", StringComparison.Ordinal)..]);
        var message = Fails(With("").Replace("""{"name": "synthetic"}""", """{"name": "synthetic", "settings": {"train_pairs": 0}}"""));
        Assert.Contains("task.settings.train_pairs: ", message);
        Assert.Contains("expected an integer >= 1, got '0'", message);
        Assert.Contains("task.settings.trian_pairs: ", Fails(With("").Replace("""{"name": "synthetic"}""", """{"name": "synthetic", "settings": {"trian_pairs": 5}}""")));
    }
}
