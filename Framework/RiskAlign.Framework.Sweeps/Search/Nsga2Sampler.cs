namespace RiskAlign.Framework.Sweeps;

/// <summary>
/// NSGA-II (Deb et al. 2002) as an ask/tell sampler over continuous or integer parameters, minimising drift and
/// maximising reward. It works in the unit cube of <see cref="SearchDimension"/>s, so log-scaled parameters are
/// searched in log space. The first <c>populationSize</c> asks are uniform draws; after that each ask breeds one child
/// from the current survivors (the best <c>populationSize</c> told points by <see cref="MultiObjectiveRank"/>) by binary
/// tournament, simulated binary crossover (SBX) and polynomial mutation. Survivors are re-selected after every tell
/// (steady-state NSGA-II, which suits trials finishing one at a time) rather than once per generation.
/// Deterministic by seed for the same sequence of asks and tells.
/// </summary>
public sealed class Nsga2Sampler
{
    private readonly IReadOnlyList<SearchDimension> _dimensions;
    private readonly Random _random;
    private readonly int _populationSize;
    private readonly double _crossoverProbability, _crossoverEta, _mutationEta;
    private readonly List<(double[] Unit, (double Drift, double Reward) Objectives)> _told = [];
    private int[]? _survivors; // indices into _told, best first; null when stale

    /// <param name="dimensions">The parameters to search, at least one, with distinct names.</param>
    /// <param name="seed">Seed of the sampler's generator.</param>
    /// <param name="populationSize">Survivors kept, and uniform draws before breeding starts (≥ 2).</param>
    /// <param name="crossoverProbability">Chance a child is bred by SBX rather than copied from a parent.</param>
    /// <param name="crossoverEta">SBX distribution index: larger keeps children closer to their parents.</param>
    /// <param name="mutationEta">Polynomial mutation distribution index: larger makes smaller steps.</param>
    public Nsga2Sampler(IReadOnlyList<SearchDimension> dimensions, int seed, int populationSize = 20,
        double crossoverProbability = 0.9, double crossoverEta = 15, double mutationEta = 20)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count == 0) throw new ArgumentException("expected at least one dimension", nameof(dimensions));
        if (dimensions.Select(d => d.Name).Distinct(StringComparer.Ordinal).Count() != dimensions.Count)
            throw new ArgumentException("expected distinct dimension names", nameof(dimensions));
        ArgumentOutOfRangeException.ThrowIfLessThan(populationSize, 2);
        _dimensions = dimensions;
        _random = new Random(seed);
        _populationSize = populationSize;
        _crossoverProbability = crossoverProbability;
        _crossoverEta = crossoverEta;
        _mutationEta = mutationEta;
    }

    /// <summary>How many results have been told.</summary>
    public int Told => _told.Count;

    /// <summary>The next parameter values to try, by dimension name.</summary>
    public IReadOnlyDictionary<string, double> Ask()
    {
        double[] unit;
        if (_told.Count < _populationSize)
            unit = _dimensions.Select(_ => _random.NextDouble()).ToArray();
        else
        {
            var survivors = _survivors ??= MultiObjectiveRank.Order(_told.Select(t => t.Objectives).ToList()).Take(_populationSize).ToArray();
            var first = _told[survivors[Tournament(survivors.Length)]].Unit;
            var second = _told[survivors[Tournament(survivors.Length)]].Unit;
            unit = _random.NextDouble() < _crossoverProbability ? Crossover(first, second) : (double[])first.Clone();
            Mutate(unit);
        }
        return Enumerable.Range(0, _dimensions.Count).ToDictionary(d => _dimensions[d].Name, d => _dimensions[d].FromUnit(unit[d]), StringComparer.Ordinal);
    }

    /// <summary>The result of trying <paramref name="values"/> (as asked, or any point in the ranges); non-finite objectives rank last.</summary>
    public void Tell(IReadOnlyDictionary<string, double> values, double drift, double reward)
    {
        ArgumentNullException.ThrowIfNull(values);
        var unit = _dimensions.Select(d => values.TryGetValue(d.Name, out var x) ? d.ToUnit(x)
            : throw new ArgumentException($"expected a value for '{d.Name}'", nameof(values))).ToArray();
        _told.Add((unit, (drift, reward)));
        _survivors = null;
    }

    // Binary tournament on survivor positions: survivors are sorted best first, so the smaller position wins.
    private int Tournament(int count) => Math.Min(_random.Next(count), _random.Next(count));

    // SBX, one of the two children, each coordinate crossed with probability 1/2; positions clamped to [0, 1].
    private double[] Crossover(double[] a, double[] b)
    {
        var child = new double[a.Length];
        for (int d = 0; d < a.Length; d++)
        {
            if (_random.NextDouble() >= 0.5) { child[d] = a[d]; continue; }
            double u = _random.NextDouble();
            double beta = u <= 0.5 ? Math.Pow(2 * u, 1 / (_crossoverEta + 1)) : Math.Pow(1 / (2 * (1 - u)), 1 / (_crossoverEta + 1));
            double sign = _random.NextDouble() < 0.5 ? 1 : -1;
            child[d] = Math.Clamp(0.5 * ((1 + sign * beta) * a[d] + (1 - sign * beta) * b[d]), 0, 1);
        }
        return child;
    }

    // Polynomial mutation, each coordinate with probability 1/dimensions, step in (−1, 1) of the unit range.
    private void Mutate(double[] unit)
    {
        for (int d = 0; d < unit.Length; d++)
        {
            if (_random.NextDouble() >= 1.0 / unit.Length) continue;
            double u = _random.NextDouble();
            double delta = u < 0.5 ? Math.Pow(2 * u, 1 / (_mutationEta + 1)) - 1 : 1 - Math.Pow(2 * (1 - u), 1 / (_mutationEta + 1));
            unit[d] = Math.Clamp(unit[d] + delta, 0, 1);
        }
    }
}
