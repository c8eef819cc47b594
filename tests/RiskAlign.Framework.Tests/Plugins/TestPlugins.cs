namespace RiskAlign.Framework.Tests.Plugins;

/// <summary>Schema-only plugins for the catalog tests (this test assembly doubles as a plugin assembly).</summary>
public sealed class SchemaOnlyLoss : IPreferenceLoss
{
    public string Name => "test-loss";
    public string Description => "A loss that only declares a schema.";
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Real("beta", 0.1, "temperature", minimum: 0, minimumExclusive: true)];
    public BatchRequirements Requirements => BatchRequirements.RiskMeasure;
    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters) => throw new NotSupportedException();
}

public sealed class SchemaOnlyRisk : IRiskMeasure
{
    public string Name => "test-risk";
    public string Description => "A risk measure that only declares a schema.";
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Real("level", 0.9, "confidence", 0, 1, true, true)];
    public torch.Tensor PerPosition(torch.Tensor referenceLogProbs, torch.Tensor policyLogProbs, PluginParameters parameters) => throw new NotSupportedException();
}

public sealed class SchemaOnlySet : IUncertaintySet
{
    public string Name => "test-set";
    public string Description => "An uncertainty set that only declares a schema.";
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];
    public BatchRequirements Requirements => BatchRequirements.None;
    public RobustObjective Aggregate(torch.Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters) => throw new NotSupportedException();
}
