using RiskAlign.Abstractions;

namespace RiskAlign.Abstractions.Tests;

public sealed class ParameterSpecTests
{
    private static readonly ParameterSpec Alpha = ParameterSpec.Real("alpha", 0.5, "weight", 0, 1);
    private static readonly ParameterSpec Tau = ParameterSpec.Real("tau", 1, "temperature", minimum: 0, minimumExclusive: true, logScale: true);

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(1.0, true)]
    [InlineData(0.5, true)]
    [InlineData(-0.01, false)]
    [InlineData(1.5, false)]
    [InlineData(double.NaN, false)]
    public void A_closed_range_accepts_its_bounds_and_refuses_what_lies_outside(double value, bool valid) =>
        Assert.Equal(valid, Alpha.Validate(ParameterValue.Of(value)) is null);

    [Fact]
    public void An_exclusive_bound_refuses_the_bound_itself_and_says_what_was_expected()
    {
        var error = Tau.Validate(ParameterValue.Of(0.0));
        Assert.Equal("expected a real number > 0, got 0", error);
        Assert.Null(Tau.Validate(ParameterValue.Of(1e-9)));
    }

    [Fact]
    public void Choices_and_integers_are_checked_by_kind()
    {
        var variant = ParameterSpec.Choice("variant", "vocab-halves", "CVaR variant", "vocab-halves", "whole-vocab");
        var steps = ParameterSpec.Integer("steps", 10, "steps", minimum: 1);
        Assert.Null(variant.Validate(ParameterValue.Of("whole-vocab")));
        Assert.Equal("expected one of 'vocab-halves', 'whole-vocab', got 'halves'", variant.Validate(ParameterValue.Of("halves")));
        Assert.NotNull(variant.Validate(ParameterValue.Of(1.0)));
        Assert.NotNull(steps.Validate(ParameterValue.Of(2.5)));
        Assert.NotNull(steps.Validate(ParameterValue.Of(0)));
        Assert.Null(steps.Validate(ParameterValue.Of(3)));
    }

    [Fact]
    public void Expected_describes_the_range_in_interval_notation()
    {
        Assert.Equal("a real number in [0, 1]", Alpha.Expected);
        Assert.Equal("a real number in (0, 1)", ParameterSpec.Real("c", 0.95, "level", 0, 1, true, true).Expected);
        Assert.Equal("true or false", ParameterSpec.Boolean("flag", true, "a flag").Expected);
    }

    [Fact]
    public void Parameters_fill_defaults_and_name_a_missing_key()
    {
        var parameters = PluginParameters.WithDefaults([Alpha, Tau], new Dictionary<string, ParameterValue> { ["tau"] = ParameterValue.Of(2.0) });
        Assert.Equal(0.5, parameters.Real("alpha"));
        Assert.Equal(2.0, parameters.Real("tau"));
        var error = Assert.Throws<KeyNotFoundException>(() => parameters.Real("beta"));
        Assert.Contains("'beta'", error.Message);
        Assert.Contains("alpha", error.Message);
    }
}
