namespace RiskAlign.Framework.Data;

/// <summary>Deterministic train/eval splits by seed.</summary>
public static class DatasetSplit
{
    /// <summary>
    /// Splits <paramref name="items"/> into train and eval parts: <c>round(n · evalFraction)</c> items, chosen by a
    /// seeded Fisher–Yates shuffle (SplitMix64, so the same seed gives the same split on every .NET version and
    /// machine), go to eval; both parts keep the input order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="evalFraction"/> outside [0, 1].</exception>
    public static (IReadOnlyList<T> Train, IReadOnlyList<T> Eval) TrainEval<T>(IReadOnlyList<T> items, double evalFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!(evalFraction >= 0 && evalFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(evalFraction), evalFraction, "The eval fraction must lie in [0, 1].");
        var n = items.Count;
        var evalCount = (int)Math.Round(n * evalFraction, MidpointRounding.AwayFromZero);
        var order = Permutation(n, seed);
        var isEval = new bool[n];
        for (var i = 0; i < evalCount; i++) isEval[order[i]] = true;
        var train = new List<T>(n - evalCount);
        var eval = new List<T>(evalCount);
        for (var i = 0; i < n; i++) (isEval[i] ? eval : train).Add(items[i]);
        return (train, eval);
    }

    /// <summary>A permutation of <c>0..n-1</c> determined by <paramref name="seed"/> alone.</summary>
    public static int[] Permutation(int n, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var state = seed;
        for (var i = n - 1; i > 0; i--)
        {
            var j = (int)(NextUInt64(ref state) % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }

    /// <summary>SplitMix64 (Steele, Lea and Flood 2014).</summary>
    private static ulong NextUInt64(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
