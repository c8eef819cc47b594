// Namespace SweepsTests, not Sweeps: Training/TestPlugins.cs writes Sweeps.TrialDefinition relative to RiskAlign.Framework.Tests.

namespace RiskAlign.Framework.Tests.SweepsTests;

// Schema-only stand-ins for the real plugins, shaped like the papers' ones. Internal, so the plugin catalog tests that
// load this test assembly as a plugin assembly do not discover them.

internal sealed class SchemaLoss(string name, BatchRequirements requirements, params ParameterSpec[] parameters) : IPreferenceLoss
{
    public string Name => name;
    public string Description => "schema only";
    public IReadOnlyList<ParameterSpec> Parameters => parameters;
    public BatchRequirements Requirements => requirements;
    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters) => throw new NotSupportedException();
}

internal sealed class SchemaRisk(string name, params ParameterSpec[] parameters) : IRiskMeasure
{
    public string Name => name;
    public string Description => "schema only";
    public IReadOnlyList<ParameterSpec> Parameters => parameters;
    public torch.Tensor PerPosition(torch.Tensor referenceLogProbs, torch.Tensor policyLogProbs, PluginParameters parameters) => throw new NotSupportedException();
}

internal sealed class SchemaSet(string name, params ParameterSpec[] parameters) : IUncertaintySet
{
    public string Name => name;
    public string Description => "schema only";
    public IReadOnlyList<ParameterSpec> Parameters => parameters;
    public BatchRequirements Requirements => BatchRequirements.None;
    public RobustObjective Aggregate(torch.Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters) => throw new NotSupportedException();
}

internal static class SweepTestCatalog
{
    public static PluginCatalog Create() => PluginCatalog.FromPlugins(
    [
        new SchemaLoss("dpo", BatchRequirements.None,
            ParameterSpec.Real("beta", 0.1, "KL strength", minimum: 0, minimumExclusive: true, logScale: true),
            ParameterSpec.Choice("reduction", "mean", "how tokens combine", "mean", "sum")),
        new SchemaLoss("ra-dpo2", BatchRequirements.RiskMeasure,
            ParameterSpec.Real("beta", 0.1, "KL strength", minimum: 0, minimumExclusive: true),
            ParameterSpec.Real("alpha", 0.5, "risk weight", 0, 1, minimumExclusive: true, maximumExclusive: true),
            ParameterSpec.Boolean("detach_risk", false, "stop gradients through the risk term")),
        new SchemaRisk("cvar", ParameterSpec.Real("confidence_level", 0.95, "CVaR level", 0, 1, minimumExclusive: true, maximumExclusive: true)),
        new SchemaRisk("erm", ParameterSpec.Real("gamma", 1.0, "risk aversion", minimum: 0, minimumExclusive: true)),
        new SchemaSet("nominal"),
        new SchemaSet("kl",
            ParameterSpec.Real("tau", 1.0, "KL radius", minimum: 0, minimumExclusive: true),
            ParameterSpec.Integer("iterations", 5, "dual iterations", minimum: 1)),
    ]);
}
