namespace RiskAlign.Framework.Tests.Search;

public sealed class Nsga2SamplerTests
{
    // ZDT1 (Zitzler, Deb & Thiele 2000) in 3 dimensions: f1 = x1, g = 1 + 9·(x2 + x3)/2, f2 = g·(1 − √(f1/g)), both
    // minimised; its front is x2 = x3 = 0, f2 = 1 − √f1. As drift vs reward: drift = f1, reward = −f2.
    private static readonly SearchDimension[] Space = new[] { "x1", "x2", "x3" }.Select(n => new SearchDimension(n, 0, 1, false, false)).ToArray();

    private static (double Drift, double Reward) Zdt1(IReadOnlyDictionary<string, double> x)
    {
        double g = 1 + 9 * (x["x2"] + x["x3"]) / 2;
        return (x["x1"], -g * (1 - Math.Sqrt(x["x1"] / g)));
    }

    // Reference point (drift 1, reward −4): every point with g ≤ 4 can add area; the true front's area is
    // 1·4 − ∫₀¹(1 − √f)df = 4 − 1/3 ≈ 3.667, an upper bound for both samplers.
    private static double Hypervolume(IEnumerable<(double Drift, double Reward)> points) =>
        ParetoFront.Of(points.Select((p, i) => Result(i, p.Drift, p.Reward)), (1, -4)).Hypervolume;

    private static TrialResult Result(int index, double drift, double reward) => new()
    {
        Trial = new TrialDefinition
        {
            SweepId = "zdt1", Index = index, Arm = "toy",
            Task = new TaskChoice("synthetic"),
            Loss = new PluginChoice("dpo", new Dictionary<string, ParameterValue>()),
            UncertaintySet = new PluginChoice("nominal", new Dictionary<string, ParameterValue>()),
            Training = new TrainingSettings(),
        },
        Status = TrialStatus.Completed,
        DriftMetric = "f1", RewardMetric = "-f2",
        Evaluations = [new EvaluationPoint(1, new Dictionary<string, double> { ["f1"] = drift, ["-f2"] = reward })],
    };

    private static double Nsga2(int seed, int budget)
    {
        var sampler = new Nsga2Sampler(Space, seed, populationSize: 20);
        var seen = new List<(double, double)>();
        for (int i = 0; i < budget; i++)
        {
            var x = sampler.Ask();
            var (drift, reward) = Zdt1(x);
            sampler.Tell(x, drift, reward);
            seen.Add((drift, reward));
        }
        return Hypervolume(seen);
    }

    private static double RandomSearch(int seed, int budget)
    {
        var random = new Random(seed);
        return Hypervolume(Enumerable.Range(0, budget)
            .Select(_ => Zdt1(Space.ToDictionary(d => d.Name, d => d.FromUnit(random.NextDouble())))));
    }

    [Fact]
    public void On_ZDT1_it_reaches_a_larger_hypervolume_than_random_search_at_the_same_budget_for_every_seed()
    {
        const int budget = 200;
        var seeds = Enumerable.Range(0, 5).ToArray();
        var nsga2 = seeds.Select(s => Nsga2(s, budget)).ToArray();
        var random = seeds.Select(s => RandomSearch(s, budget)).ToArray();
        for (int i = 0; i < seeds.Length; i++)
            Assert.True(nsga2[i] > random[i], $"seed {seeds[i]}: NSGA-II {nsga2[i]:F3} vs random {random[i]:F3}");
        Assert.All(nsga2, h => Assert.True(h <= 4 - 1.0 / 3 + 1e-9, $"{h} exceeds the true front's area"));
    }

    [Fact]
    public void Same_seed_same_asks()
    {
        IReadOnlyList<double> Run(int seed)
        {
            var sampler = new Nsga2Sampler(Space, seed, populationSize: 4);
            var asked = new List<double>();
            for (int i = 0; i < 12; i++) { var x = sampler.Ask(); var (d, r) = Zdt1(x); sampler.Tell(x, d, r); asked.Add(x["x1"]); }
            return asked;
        }
        Assert.Equal(Run(1), Run(1));
        Assert.NotEqual(Run(1), Run(2));
    }

    [Fact]
    public void Log_scaled_integer_dimensions_stay_in_range_and_spread_over_the_decades()
    {
        var sampler = new Nsga2Sampler([new SearchDimension("n", 1, 1000, Log: true, Integer: true)], seed: 0, populationSize: 50);
        var asked = Enumerable.Range(0, 50).Select(_ => sampler.Ask()["n"]).ToList();
        Assert.All(asked, n => { Assert.InRange(n, 1, 1000); Assert.Equal(Math.Round(n), n); });
        // Uniform in log10 over [0, 3]: a third of the draws below 10 expected (≈17 of 50); linear would give ≈0.5.
        Assert.InRange(asked.Count(n => n < 10), 8, 28);
    }
}
