using RiskAlign.Abstractions;
using RiskAlign.Plugins.Losses;
using RiskAlign.Plugins.RiskMeasures;
using RiskAlign.Plugins.UncertaintySets;

namespace RiskAlign.Plugins.Tests;

/// The declared schemas: names the catalog finds, defaults that pass their own validation, and the ranges of the brief.
public class ParameterSchemaTests
{
    private static readonly IPlugin[] All =
    [
        new DpoLoss(), new IpoLoss(), new Tdpo1Loss(), new Tdpo2Loss(), new RaDpo1Loss(), new RaDpo2Loss(), new DrDpoLoss(),
        new CvarRisk(), new EntropicRisk(), new ExpectationRisk(), new NominalSet(), new KlSet(), new WassersteinSet(), new DrSet(),
    ];

    [Fact]
    public void Names_are_those_of_the_sweep_specs_and_defaults_are_valid()
    {
        Assert.Equal(["dpo", "ipo", "tdpo1", "tdpo2", "ra-dpo1", "ra-dpo2", "dr-dpo", "cvar", "entropic", "expectation", "nominal", "kl", "wasserstein", "dr"],
            All.Select(p => p.Name));
        foreach (var plugin in All)
        {
            Assert.False(string.IsNullOrWhiteSpace(plugin.Description));
            foreach (var spec in plugin.Parameters)
            {
                Assert.Null(spec.Validate(spec.Default));
                Assert.Matches("^[a-z][a-z0-9_]*$", spec.Name);
                // log-scale only where the range excludes 0 and below
                if (spec.LogScale) Assert.True(spec.Minimum is 0 && spec.MinimumExclusive, $"{plugin.Name}.{spec.Name}");
            }
        }
    }

    private static ParameterSpec Spec(IPlugin plugin, string name) => plugin.Parameters.Single(p => p.Name == name);

    [Theory]
    [InlineData("tdpo2", "alpha", -0.01, false)]
    [InlineData("tdpo2", "alpha", 1.01, true)] // no upper bound, as the official code
    [InlineData("tdpo2", "alpha", 0.0, true)]
    [InlineData("tdpo2", "alpha", 1.0, true)]
    [InlineData("ra-dpo2", "alpha", 1.5, true)]
    [InlineData("dr", "beta_prime", 0.0, false)]
    [InlineData("dpo", "beta", 0.0, false)]
    [InlineData("dpo", "label_smoothing", 0.5, false)]
    [InlineData("dpo", "label_smoothing", 0.49, true)]
    [InlineData("dr-dpo", "beta_prime", 0.0, false)]
    [InlineData("wasserstein", "rho", -0.001, false)]
    [InlineData("wasserstein", "rho", 0.0, true)]
    [InlineData("kl", "tau", 0.0, false)]
    [InlineData("kl", "tau", -1.0, false)]
    [InlineData("kl", "tau", 0.005, true)]
    [InlineData("cvar", "confidence_level", 1.0, false)]
    [InlineData("cvar", "confidence_level", 0.0, false)]
    [InlineData("entropic", "gamma", 0.0, false)]
    public void Ranges_are_enforced(string plugin, string parameter, double value, bool allowed)
    {
        var spec = Spec(All.Single(p => p.Name == plugin), parameter);
        var error = spec.Validate(ParameterValue.Of(value));
        if (allowed) Assert.Null(error); else Assert.NotNull(error);
    }

    [Fact]
    public void Choices_reject_unknown_names()
    {
        Assert.NotNull(Spec(new CvarRisk(), "variant").Validate(ParameterValue.Of("halves")));
        Assert.NotNull(Spec(new KlSet(), "weights").Validate(ParameterValue.Of("normalised")));
        Assert.NotNull(Spec(new WassersteinSet(), "form").Validate(ParameterValue.Of("sqrt")));
        Assert.Null(Spec(new WassersteinSet(), "form").Validate(ParameterValue.Of("root-mean")));
    }

    [Fact]
    public void Defaults_are_those_of_the_reference_configs()
    {
        Assert.Equal(0.1, Spec(new DpoLoss(), "beta").Default.Number);
        Assert.Equal(0.5, Spec(new RaDpo2Loss(), "alpha").Default.Number);
        Assert.Equal(0.95, Spec(new CvarRisk(), "confidence_level").Default.Number);
        Assert.Equal("vocab-halves", Spec(new CvarRisk(), "variant").Default.Text);
        Assert.Equal(1.0, Spec(new DrDpoLoss(), "beta_prime").Default.Number);
        Assert.Equal(1.0, Spec(new KlSet(), "tau").Default.Number);
        Assert.Equal("clamped", Spec(new KlSet(), "weights").Default.Text);
        Assert.Equal(10.0, Spec(new KlSet(), "clamp").Default.Number);
        Assert.Equal(0.01, Spec(new WassersteinSet(), "rho").Default.Number);
        Assert.Equal("per-pair-squared", Spec(new WassersteinSet(), "form").Default.Text);
    }
}
