namespace RiskAlign.Framework.Tests.SweepsTests;

public sealed class SweepPlannerCombinationTests
{
    private const string Source = "specs/test.json";

    private sealed class CouplingSet(string name) : IUncertaintySet
    {
        public string Name => name;
        public string Description => "schema only, couples the pairs";
        public IReadOnlyList<ParameterSpec> Parameters => [];
        public BatchRequirements Requirements => BatchRequirements.PerPairLosses;
        public RobustObjective Aggregate(torch.Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters) => throw new NotSupportedException();
    }

    private static PluginCatalog Catalog() => PluginCatalog.FromPlugins(
        [new SchemaLoss("dr-dpo", BatchRequirements.AggregatedLoss), new SchemaLoss("dpo", BatchRequirements.None), new SchemaSet("nominal"), new CouplingSet("kl")]);

    private static int Expand(string loss, string set) => SweepPlanner.Expand(SweepSpec.Parse(
        SweepSpecTests.With("", SweepSpecTests.Arm($$"""{"name": "{{loss}}"}""").Replace("\"nominal\"", $"\"{set}\"")), Source), Catalog(), "sw").Count;

    [Fact]
    public void A_loss_that_aggregates_its_batch_is_refused_with_a_set_that_weighs_pairs_and_the_reason_is_given()
    {
        var message = Assert.Throws<SweepSpecException>(() => Expand("dr-dpo", "kl")).Message;
        Assert.StartsWith(Source + ": arms[0].uncertainty_set.name: loss 'dr-dpo' already aggregates its batch", message);
        Assert.Contains("loss 'dpo' with set 'dr'", message);
        Assert.Equal(1, Expand("dr-dpo", "nominal"));
        Assert.Equal(1, Expand("dpo", "kl"));
    }
}
