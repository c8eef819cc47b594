namespace RiskAlign.Framework.Rewards;

/// <summary>
/// A weighted sum of a classifier's class probabilities, <c>Σ_c w_c · p(c | text)</c>: for example p(positive)
/// of an IMDb sentiment classifier, or α·p(anger) + (1−α)·p(fear) of the emotion classifier.
/// The reward does not own the classifier (dispose it yourself).
/// </summary>
public sealed class ClassifierProbabilityReward : ITextReward
{
    private readonly BagOfWordsClassifier _classifier;
    private readonly KeyValuePair<int, double>[] _weights;

    /// <summary>A reward named <paramref name="name"/> weighting class <c>c</c> by <c>weights[c]</c> (others 0).</summary>
    public ClassifierProbabilityReward(string name, BagOfWordsClassifier classifier, IReadOnlyDictionary<int, double> weights)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(weights);
        foreach (var (label, weight) in weights)
        {
            if (label < 0 || label >= classifier.ClassCount)
                throw new ArgumentOutOfRangeException(nameof(weights), label, $"Class {label} outside 0..{classifier.ClassCount - 1}.");
            if (!double.IsFinite(weight))
                throw new ArgumentOutOfRangeException(nameof(weights), weight, $"Weight of class {label} must be finite.");
        }
        Name = name;
        _classifier = classifier;
        _weights = weights.OrderBy(kv => kv.Key).ToArray();
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The class weights, by class.</summary>
    public IReadOnlyList<KeyValuePair<int, double>> Weights => _weights;

    /// <inheritdoc />
    public double Score(string text) => Weigh(_classifier.Probabilities(text));

    /// <summary>Scores many texts in one classifier pass.</summary>
    public double[] Score(IReadOnlyList<string> texts) => _classifier.Probabilities(texts).Select(Weigh).ToArray();

    private double Weigh(double[] probabilities)
    {
        var total = 0.0;
        foreach (var (label, weight) in _weights) total += weight * probabilities[label];
        return total;
    }
}
