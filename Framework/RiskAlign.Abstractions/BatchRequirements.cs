namespace RiskAlign.Abstractions;

/// <summary>What a plugin needs the trainer to put into a <see cref="PreferenceBatch"/> beyond log-probs.</summary>
[Flags]
public enum BatchRequirements
{
    /// <summary>Log-probs, masks and the lazily computed per-token KL only.</summary>
    None = 0,
    /// <summary>A risk measure bound to the batch (<see cref="PreferenceBatch.SequenceRisk"/>); the sweep arm must name one.</summary>
    RiskMeasure = 1,
    /// <summary>The policy's input embeddings as a graph node (<see cref="PreferenceBatch.InputEmbeddings"/>), for gradient penalties.</summary>
    InputEmbeddings = 2,
    /// <summary>Of an uncertainty set: it weighs the pairs against each other, so it needs genuine per-pair losses, not a loss
    /// that already aggregates its batch (<see cref="AggregatedLoss"/>); the planner refuses that combination.</summary>
    PerPairLosses = 4,
    /// <summary>Of a loss: every entry of its per-pair output holds an aggregate over the batch (the legacy <c>dr-dpo</c> loss), so
    /// only a set that averages (nominal) composes with it.</summary>
    AggregatedLoss = 8,
}
