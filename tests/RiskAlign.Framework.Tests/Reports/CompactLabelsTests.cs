namespace RiskAlign.Framework.Tests.Reports;

public sealed class CompactLabelsTests
{
    private static TrialDefinition Trial(int index, double beta, int seed, string loss = "dpo") => new()
    {
        SweepId = "s", Index = index, Arm = loss,
        Task = new TaskChoice("synthetic"),
        Loss = new PluginChoice(loss, new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(beta), ["label_smoothing"] = ParameterValue.Of(0.0) }),
        UncertaintySet = new PluginChoice("nominal", new Dictionary<string, ParameterValue>()),
        Training = new TrainingSettings { Seed = seed },
    };

    [Fact]
    public void Only_what_varies_across_the_sweep_is_shown()
    {
        var trials = new[] { Trial(0, 0.1, 0), Trial(1, 0.5, 0), Trial(2, 0.1, 1), Trial(3, 0.5, 1) };
        var label = CompactLabels.For(trials);
        Assert.Equal("beta=0.1 seed=0", label(trials[0]));
        Assert.Equal("beta=0.5 seed=1", label(trials[3]));
    }

    [Fact]
    public void A_parameter_only_one_arm_has_is_not_shown_when_it_never_varies()
    {
        var tdpo2 = Trial(2, 0.5, 0, "tdpo2") with
        {
            Loss = new PluginChoice("tdpo2", new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(0.5), ["alpha"] = ParameterValue.Of(0.5) }),
        };
        var trials = new[] { Trial(0, 0.1, 0), Trial(1, 0.5, 0), tdpo2 };
        Assert.Equal("beta=0.5", CompactLabels.For(trials)(tdpo2));
    }

    [Fact]
    public void A_sweep_where_nothing_varies_shows_a_dash()
    {
        var trials = new[] { Trial(0, 0.1, 0) };
        Assert.Equal("-", CompactLabels.For(trials)(trials[0]));
    }

    [Fact]
    public void Without_the_seed_trials_that_differ_only_by_seed_share_a_label()
    {
        var trials = new[] { Trial(0, 0.1, 0), Trial(1, 0.1, 1), Trial(2, 0.5, 0) };
        var label = CompactLabels.For(trials, includeSeed: false);
        Assert.Equal("beta=0.1", label(trials[0]));
        Assert.Equal("beta=0.1", label(trials[1]));
        Assert.Equal("beta=0.5", label(trials[2]));
    }
}
