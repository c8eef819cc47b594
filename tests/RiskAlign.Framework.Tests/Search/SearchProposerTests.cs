namespace RiskAlign.Framework.Tests.Search;

public sealed class SearchProposerTests
{
    private static readonly TrialDefinition Template = new()
    {
        SweepId = "sw",
        Index = 0,
        Arm = "dpo",
        Task = new TaskChoice("synthetic"),
        Loss = new PluginChoice("dpo", new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(0.1), ["reduction"] = ParameterValue.Of("sum") }),
        UncertaintySet = new PluginChoice("kl", new Dictionary<string, ParameterValue> { ["iterations"] = ParameterValue.Of(1) }),
        Training = new TrainingSettings { Steps = 10, Seed = 0 },
    };

    private static SearchPlan Plan(int maxTrials, int[] seeds) => new()
    {
        Arms = [new SearchArmPlan(Template, [
            new SearchParameter(SearchedPlugin.Loss, "beta", new SearchDimension("loss.beta", 0.01, 1, Log: true, Integer: false)),
            new SearchParameter(SearchedPlugin.UncertaintySet, "iterations", new SearchDimension("set.iterations", 1, 9, Log: false, Integer: true))])],
        MaxTrials = maxTrials,
        Seed = 5,
        Population = 4,
        Seeds = seeds,
    };

    // Drift β, reward √β − iterations/100: a known trade-off, so every told setting has finite objectives.
    private static TrialResult Finish(TrialDefinition t) => new()
    {
        Trial = t,
        Status = TrialStatus.Completed,
        DriftMetric = "d",
        RewardMetric = "r",
        Evaluations = [new EvaluationPoint(10, new Dictionary<string, double>
        {
            ["d"] = t.Loss.Values["beta"].Number,
            ["r"] = Math.Sqrt(t.Loss.Values["beta"].Number) - t.UncertaintySet.Values["iterations"].Number / 100,
        })],
    };

    [Fact]
    public void It_proposes_max_trials_settings_once_per_seed_inside_the_ranges_and_then_nothing()
    {
        var plan = Plan(maxTrials: 9, seeds: [0, 1]);
        var trials = new List<TrialDefinition>();
        var results = new List<TrialResult?>();
        while (SearchProposer.Next(plan, trials, results) is { Count: > 0 } next)
        {
            Assert.Equal(2, next.Count);
            Assert.Equal([trials.Count, trials.Count + 1], next.Select(t => t.Index));
            Assert.Equal([0, 1], next.Select(t => t.Training.Seed));
            Assert.Equal(next[0].Loss.ToString(), next[1].Loss.ToString());
            trials.AddRange(next);
            results.AddRange(next.Select(t => (TrialResult?)Finish(t)));
        }
        Assert.Equal(18, trials.Count);
        Assert.False(SearchProposer.HasMore(plan, trials));
        Assert.All(trials, t => Assert.InRange(t.Loss.Values["beta"].Number, 0.01, 1));
        Assert.All(trials, t => Assert.Equal(Math.Round(t.UncertaintySet.Values["iterations"].Number), t.UncertaintySet.Values["iterations"].Number));
        Assert.All(trials, t => Assert.Equal("sum", t.Loss.Values["reduction"].Text)); // fixed values come from the template
        // The first population (4) settings are uniform draws; bred ones may repeat a parent's value on a coordinate.
        Assert.Equal(4, trials.Take(8).Select(t => t.Loss.Values["beta"].Number).Distinct().Count());
    }

    [Fact]
    public void The_same_trials_and_results_give_the_same_proposal_so_a_reactivated_grain_continues_alike()
    {
        var plan = Plan(maxTrials: 12, seeds: [0]);
        var trials = new List<TrialDefinition>();
        var results = new List<TrialResult?>();
        for (int k = 0; k < 8; k++)
        {
            var next = SearchProposer.Next(plan, trials, results);
            Assert.Equal(next.Select(t => (t.Index, t.Label)), SearchProposer.Next(plan, [.. trials], [.. results]).Select(t => (t.Index, t.Label)));
            trials.AddRange(next);
            results.AddRange(next.Select(t => (TrialResult?)Finish(t)));
        }
        // An unfinished trial counts as proposed (the next index follows it) though it is not told yet.
        var pending = SearchProposer.Next(plan, trials, results);
        var withUnfinished = trials.Concat(pending).ToList();
        Assert.Equal(9, SearchProposer.Next(plan, withUnfinished, [.. results, null])[0].Index);
    }

    [Fact]
    public void A_setting_is_told_on_its_completed_seeds_and_not_at_all_when_every_seed_was_stopped()
    {
        var plan = Plan(maxTrials: 6, seeds: [0, 1]) with { Population = 2 };
        var trials = new List<TrialDefinition>();
        for (int k = 0; k < 2; k++) trials.AddRange(SearchProposer.Next(plan, trials, [.. trials.Select(_ => (TrialResult?)null)]));
        TrialResult Stopped(TrialDefinition t) => Finish(t) with { Status = TrialStatus.Stopped };
        string NextLabel(IEnumerable<TrialResult?> results) => SearchProposer.Next(plan, trials, [.. results])[0].Label;

        // Nothing told: the third setting is a uniform draw, the same whether the trials are unfinished or all stopped.
        string untold = NextLabel(trials.Select(_ => (TrialResult?)null));
        Assert.Equal(untold, NextLabel(trials.Select(t => (TrialResult?)Stopped(t))));
        // Seed 0 completed, seed 1 stopped: both settings are told (two = the population), so the third is bred instead.
        Assert.NotEqual(untold, NextLabel(trials.Select(t => (TrialResult?)(t.Training.Seed == 0 ? Finish(t) : Stopped(t)))));
    }
}
