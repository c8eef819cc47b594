namespace RiskAlign.Framework.Tests.Training;

/// <summary>Minimal stand-ins for the real plugins (written elsewhere): DPO, the nominal mean, and broken ones.</summary>
internal sealed class TestDpoLoss : IPreferenceLoss
{
    public string Name => "test-dpo";
    public string Description => "DPO: −logσ(β·(M_c − M_r)).";
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [ParameterSpec.Real("beta", 0.1, "KL strength", 0, null, minimumExclusive: true)];
    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters)
    {
        double beta = parameters.Real("beta");
        var m = batch.SequenceLogRatio; // [2B]
        var chosen = batch.Chosen(m);
        var rejected = batch.Rejected(m);
        var loss = -nn.functional.logsigmoid(beta * (chosen - rejected));
        return new PreferenceLossOutput(loss, (beta * chosen).detach(), (beta * rejected).detach());
    }
}

internal sealed class TestNominalSet : IUncertaintySet
{
    public string Name => "test-nominal";
    public string Description => "Mean of per-pair losses.";
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];
    public BatchRequirements Requirements => BatchRequirements.None;
    public RobustObjective Aggregate(Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters) => new(perPairLoss.mean());
}

/// <summary>Returns NaN from step <c>nanFrom</c> on (counting Compute calls in training).</summary>
internal sealed class NaNAfterLoss(int nanFrom) : IPreferenceLoss
{
    private int _calls;
    public string Name => "test-nan";
    public string Description => "Finite, then NaN.";
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];
    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters)
    {
        var m = batch.SequenceLogRatio;
        var loss = -nn.functional.logsigmoid(0.1 * (batch.Chosen(m) - batch.Rejected(m)));
        if (batch.IsTraining && ++_calls >= nanFrom) loss = loss * double.NaN;
        return new PreferenceLossOutput(loss, batch.Chosen(m).detach(), batch.Rejected(m).detach());
    }
}

/// <summary>Declares that it needs a risk measure.</summary>
internal sealed class RiskHungryLoss : IPreferenceLoss
{
    public string Name => "test-risky";
    public string Description => "Needs a risk measure.";
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];
    public BatchRequirements Requirements => BatchRequirements.RiskMeasure;
    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters) => throw new NotSupportedException();
}

/// <summary>Penalty on the gradient of the loss with respect to the input embeddings (WDPO-like), to exercise double backward in a step.</summary>
internal sealed class GradientPenaltySet : IUncertaintySet
{
    public string Name => "test-gradient-penalty";
    public string Description => "mean + ρ·‖∂loss/∂embeddings‖².";
    public IReadOnlyList<ParameterSpec> Parameters { get; } = [];
    public BatchRequirements Requirements => BatchRequirements.InputEmbeddings;

    public RobustObjective Aggregate(Tensor perPairLoss, PreferenceBatch batch, PluginParameters parameters)
    {
        var mean = perPairLoss.mean();
        if (!batch.IsTraining) return new RobustObjective(mean);
        var gradient = torch.autograd.grad([mean], [batch.InputEmbeddings!], retain_graph: true, create_graph: true)[0];
        var penalty = gradient.pow(2).sum();
        return new RobustObjective(mean + 0.1 * penalty) { Metrics = new Dictionary<string, Tensor> { ["robust/penalty"] = penalty.detach() } };
    }
}

internal static class TestTrials
{
    public static TrialPlugins Plugins(IPreferenceLoss loss, double beta = 0.1, IUncertaintySet? set = null)
    {
        var lossParameters = PluginParameters.WithDefaults(loss.Parameters,
            loss.Parameters.Any(p => p.Name == "beta") ? new Dictionary<string, ParameterValue> { ["beta"] = ParameterValue.Of(beta) } : null);
        set ??= new TestNominalSet();
        return new TrialPlugins(loss, lossParameters, null, set, PluginParameters.Empty);
    }

    public static Trials.TrialDefinition Trial(Trials.TrainingSettings training, IReadOnlyDictionary<string, string>? taskSettings = null, string loss = "test-dpo", int index = 0) => new()
    {
        SweepId = "test",
        Index = index,
        Arm = loss,
        Task = new Trials.TaskChoice("synthetic", Tasks.TestTasks.Json(taskSettings)),
        Loss = new Trials.PluginChoice(loss, new Dictionary<string, ParameterValue>()),
        UncertaintySet = new Trials.PluginChoice("test-nominal", new Dictionary<string, ParameterValue>()),
        Training = training,
    };
}

/// <summary>DPO that throws a native-looking error on its first <c>failures</c> calls (restart tests).</summary>
internal sealed class FailingFirstLoss(int failures, string message) : IPreferenceLoss
{
    private int _calls;
    private readonly TestDpoLoss _dpo = new();
    public string Name => "test-failing-first";
    public string Description => "DPO after some native errors.";
    public IReadOnlyList<ParameterSpec> Parameters => _dpo.Parameters;
    public BatchRequirements Requirements => BatchRequirements.None;

    public PreferenceLossOutput Compute(PreferenceBatch batch, PluginParameters parameters) =>
        Interlocked.Increment(ref _calls) <= failures
            ? throw new System.Runtime.InteropServices.ExternalException(message)
            : _dpo.Compute(batch, parameters);
}
