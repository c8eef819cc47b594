using RiskAlign.Framework.Tests.SweepsTests;
using static RiskAlign.Framework.Tests.SweepsTests.SweepSpecTests;

namespace RiskAlign.Framework.Tests.Search;

public sealed class SearchSpecTests
{
    private const string Source = "specs/search.json";
    private const string Training = "\"training\": {\"steps\": 120, \"eval_every\": 20}";
    private static readonly string TwoParams = Arm("""{"name": "dpo", "params": {"beta": {"min": 0.001, "max": 1}, "reduction": ["mean", "sum"]}}""");

    private static IReadOnlyList<TrialDefinition> Expand(string json) => PlannerProbe.Expand(json, Source);

    private static string Fails(string json) => PlannerProbe.Fails(json, Source);

    [Fact]
    public void No_search_block_means_grid_search()
    {
        var spec = SweepSpec.Parse(Quickstart, Source);
        Assert.Equal(SearchSettings.Grid, spec.Search);
    }

    [Fact]
    public void Random_search_draws_max_trials_per_arm_seeds_innermost_within_the_declared_ranges()
    {
        var trials = Expand(With("\"seeds\": [0, 1], \"search\": {\"sampler\": \"random\", \"max_trials\": 40, \"seed\": 7}", TwoParams));
        Assert.Equal(80, trials.Count);
        Assert.Equal(Enumerable.Range(0, 80), trials.Select(t => t.Index));
        Assert.Equal(Enumerable.Range(0, 80).Select(i => i % 2), trials.Select(t => t.Training.Seed));
        var betas = trials.Where((_, i) => i % 2 == 0).Select(t => t.Loss.Values["beta"].Number).ToList();
        Assert.All(betas, b => Assert.InRange(b, 0.001, 1));
        Assert.Equal(40, betas.Distinct().Count()); // continuous draws do not repeat
        // beta is log-scaled in its schema: uniform in log10 over [-3, 0], so about a third of the draws fall below 0.01
        // (a linear draw would put 0.9% there). 40 draws: expect ≈13; 4..24 is far outside either hypothesis' overlap.
        Assert.InRange(betas.Count(b => b < 0.01), 4, 24);
        Assert.Equal(["mean", "sum"], trials.Select(t => t.Loss.Values["reduction"].Text).Distinct().Order());
    }

    [Fact]
    public void Random_search_is_deterministic_by_its_seed()
    {
        string Spec(int seed) => With($"\"search\": {{\"sampler\": \"random\", \"max_trials\": 10, \"seed\": {seed}}}", TwoParams);
        var first = Expand(Spec(3)).Select(t => t.Loss.Values["beta"].Number).ToList();
        Assert.Equal(first, Expand(Spec(3)).Select(t => t.Loss.Values["beta"].Number));
        Assert.NotEqual(first, Expand(Spec(4)).Select(t => t.Loss.Values["beta"].Number));
    }

    [Fact]
    public void Random_search_rounds_integer_parameters_and_respects_an_explicit_linear_scale()
    {
        var arm = """[{"loss": {"name": "dpo", "params": {"beta": {"min": 0.5, "max": 1, "scale": "linear"}}}, "uncertainty_set": {"name": "kl", "params": {"iterations": {"min": 1, "max": 9}}}}]""";
        var trials = Expand(With("\"search\": {\"sampler\": \"random\", \"max_trials\": 30}", arm));
        Assert.All(trials, t => Assert.Equal(Math.Round(t.UncertaintySet.Values["iterations"].Number), t.UncertaintySet.Values["iterations"].Number));
        Assert.All(trials, t => Assert.InRange(t.UncertaintySet.Values["iterations"].Number, 1, 9));
        Assert.All(trials, t => Assert.InRange(t.Loss.Values["beta"].Number, 0.5, 1));
    }

    [Fact]
    public void Grid_search_is_unchanged_and_needs_a_count_in_each_range()
    {
        Assert.Equal(18, Expand(Quickstart).Count);
        var message = Fails(With("", Arm("""{"name": "dpo", "params": {"beta": {"min": 0.01, "max": 1}}}""")));
        Assert.Contains("arms[0].loss.params.beta: expected a \"count\"", message);
    }

    [Theory]
    [InlineData("{\"sampler\": \"tpe\", \"max_trials\": 5}", "search.sampler: expected one of \"grid\", \"random\", \"nsga2\", got the string \"tpe\"")]
    [InlineData("{\"sampler\": \"random\", \"max_trials\": 0}", "search.max_trials: expected an integer >= 1, got 0")]
    [InlineData("{\"sampler\": \"random\"}", "search: missing required field max_trials")]
    [InlineData("{\"max_trials\": 5}", "search.max_trials: expected no max_trials for grid search")]
    [InlineData("{\"sampler\": \"random\", \"max_trials\": 5, \"budget\": 1}", "search.budget: unknown field")]
    [InlineData("{\"sampler\": \"random\", \"max_trials\": 5, \"asha\": {\"grace_period\": 0}}", "search.asha.grace_period: expected an integer >= 1, got 0")]
    [InlineData("{\"sampler\": \"random\", \"max_trials\": 5, \"asha\": {\"grace_period\": 20, \"reduction_factor\": 1}}", "search.asha.reduction_factor: expected an integer >= 2, got 1")]
    [InlineData("{\"sampler\": \"random\", \"max_trials\": 5, \"asha\": {\"grace_period\": 120}}", "search.asha.grace_period: expected fewer steps than training.steps (120)")]
    [InlineData("{\"sampler\": \"random\", \"max_trials\": 5, \"asha\": {\"grace_period\": 30}}", "search.asha.grace_period: expected a multiple of training.eval_every (20)")]
    public void Bad_search_settings_are_refused_naming_the_field(string search, string expected)
    {
        var message = Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(With($"{Training}, \"search\": {search}"), Source)).Message;
        Assert.StartsWith(Source + ": ", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void Sampled_ranges_are_checked_against_the_parameter_schema()
    {
        string Random(string param) => With("\"search\": {\"sampler\": \"random\", \"max_trials\": 5}", Arm("""{"name": "dpo", "params": {"beta": """ + param + "}}"));
        Assert.Contains("arms[0].loss.params.beta.min: expected min > 0 on a log scale", Fails(Random("""{"min": 0, "max": 1}""")));
        Assert.Contains("arms[0].loss.params.beta.min:", Fails(Random("""{"min": -1, "max": 1, "scale": "linear"}""")));
        var integer = Fails(With("\"search\": {\"sampler\": \"random\", \"max_trials\": 5}",
            """[{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "kl", "params": {"iterations": {"min": 1.5, "max": 4}}}}]"""));
        Assert.Contains("arms[0].uncertainty_set.params.iterations.min: expected an integer bound", integer);
        Assert.Contains("expected min < max for a continuous range",
            Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(Random("""{"min": 0.1, "max": 0.1}"""), Source)).Message);
    }

    private static PlannedSweep Plan(string json) => SweepPlanner.Plan(SweepSpec.Parse(json, Source), SweepTestCatalog.Create(), "sw");

    [Fact]
    public void Nsga2_needs_continuous_ranges_and_plans_proposals_instead_of_trials()
    {
        var list = Fails(With("\"search\": {\"sampler\": \"nsga2\", \"max_trials\": 5}", Arm("""{"name": "dpo", "params": {"beta": [0.1, 0.2]}}""")));
        Assert.Contains("arms[0].loss.params.beta: expected a range {\"min\", \"max\"} without a count for nsga2", list);

        var planned = Plan(With("\"seeds\": [3, 4], \"search\": {\"sampler\": \"nsga2\", \"max_trials\": 5, \"seed\": 9}",
            Arm("""{"name": "dpo", "params": {"beta": {"min": 0.01, "max": 1}, "reduction": "sum"}}""")));
        Assert.Empty(planned.Trials);
        var search = Assert.IsType<SearchPlan>(planned.Search);
        Assert.Equal((5, 9, 2, 10), (search.MaxTrials, search.Seed, search.Population, search.ProposedTrials)); // population: max(2, 5/4)
        Assert.Equal([3, 4], search.Seeds);
        var arm = Assert.Single(search.Arms);
        var beta = Assert.Single(arm.Parameters);
        Assert.Equal((SearchedPlugin.Loss, "beta", new SearchDimension("loss.beta", 0.01, 1, Log: true, Integer: false)), (beta.Plugin, beta.Name, beta.Dimension));
        Assert.Equal("sum", arm.Template.Loss.Values["reduction"].Text); // fixed values are in the template
        Assert.Equal(10, planned.TrialCount);
    }

    [Fact]
    public void An_nsga2_arm_without_a_range_and_bad_populations_are_refused()
    {
        var fixedOnly = Fails(With("\"search\": {\"sampler\": \"nsga2\", \"max_trials\": 5}", Arm("""{"name": "dpo", "params": {"beta": 0.1}}""")));
        Assert.Contains("arms[0]: expected at least one parameter with a range", fixedOnly);
        string Spec(string search) => With($"\"search\": {search}", Arm("""{"name": "dpo", "params": {"beta": {"min": 0.01, "max": 1}}}"""));
        Assert.Contains("search.population: expected at most max_trials (5)",
            Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(Spec("{\"sampler\": \"nsga2\", \"max_trials\": 5, \"population\": 6}"), Source)).Message);
        Assert.Contains("search.population: expected an integer >= 2, got 1",
            Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(Spec("{\"sampler\": \"nsga2\", \"max_trials\": 5, \"population\": 1}"), Source)).Message);
        Assert.Contains("search.population: expected no population for sampler \"random\"",
            Assert.Throws<SweepSpecException>(() => SweepSpec.Parse(Spec("{\"sampler\": \"random\", \"max_trials\": 5, \"population\": 2}"), Source)).Message);
        Assert.Equal(4, Plan(Spec("{\"sampler\": \"nsga2\", \"max_trials\": 5, \"population\": 4}")).Search!.Population);
    }

    [Fact]
    public void Asha_is_accepted_with_any_sampler_and_plans_its_rungs()
    {
        var planned = Plan(With($"{Training}, \"search\": {{\"sampler\": \"random\", \"max_trials\": 5, \"asha\": {{\"grace_period\": 20, \"reduction_factor\": 3}}}}"));
        Assert.NotEmpty(planned.Trials);
        var search = Assert.IsType<SearchPlan>(planned.Search);
        Assert.Empty(search.Arms); // random trials are expanded before launch; the grain only stops them
        Assert.Equal(new AshaSettings(20, 3), search.Asha);
        Assert.Equal([20, 60], search.Rungs); // 20·3ᵏ below 120 steps
        Assert.Null(Plan(With("\"search\": {\"sampler\": \"random\", \"max_trials\": 5}")).Search);
        var grid = Plan(With($"{Training}, \"search\": {{\"asha\": {{\"grace_period\": 40, \"reduction_factor\": 2}}}}"));
        Assert.Equal([40, 80], grid.Search!.Rungs);
    }
}
