using RiskAlign.Framework.Tokenizers;
using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Preference pairs the way the DPO paper built its IMDb task: two responses sampled from the reference per prompt,
/// the preferred one drawn by Bradley–Terry on a text reward, <c>P(y1 ≻ y2 | x) = σ(scale · (r(x, y1) − r(x, y2)))</c>.
/// </summary>
internal static class RewardLabelledPairs
{
    /// <summary>What labelling produced, besides the pairs.</summary>
    public sealed record Labelling(PreferencePair[] Pairs, double MeanReward, double TieFraction, double AgreementWithReward)
    {
        /// <summary>The build statistics of a task whose training pairs these are: how the labels came out, the
        /// reference's mean reward on them and <paramref name="buildTime"/>, then the task's own <paramref name="more"/>.</summary>
        public Dictionary<string, double> Statistics(TimeSpan buildTime, params (string Name, double Value)[] more)
        {
            var statistics = new Dictionary<string, double>
            {
                ["labels/tie_fraction"] = TieFraction,
                ["labels/agreement"] = AgreementWithReward,
                ["reference/reward_of_pairs"] = MeanReward,
                ["build/seconds"] = buildTime.TotalSeconds,
            };
            foreach (var (name, value) in more) statistics.Add(name, value);
            return statistics;
        }
    }

    /// <summary>Samples, scores and labels one pair per prompt.</summary>
    /// <param name="reward">Reward of each decoded text (prompt and response), in order.</param>
    public static Labelling Sample(CausalLanguageModel reference, ITextTokenizer tokenizer, IReadOnlyList<int[]> prompts,
        int responseLength, int[] blocked, Func<IReadOnlyList<string>, double[]> reward, double scale, Random random, Device device)
    {
        var first = ResponseSampler.Sample(reference, prompts, responseLength, random, device, blocked: blocked);
        var second = ResponseSampler.Sample(reference, prompts, responseLength, random, device, blocked: blocked);
        var r1 = reward(prompts.Select((p, i) => Text(tokenizer, p, first[i])).ToArray());
        var r2 = reward(prompts.Select((p, i) => Text(tokenizer, p, second[i])).ToArray());
        var pairs = new PreferencePair[prompts.Count];
        int ties = 0, agree = 0;
        for (int i = 0; i < prompts.Count; i++)
        {
            double margin = r1[i] - r2[i];
            bool firstWins = random.NextDouble() < 1 / (1 + Math.Exp(-scale * margin));
            if (margin == 0) ties++;
            else if (firstWins == margin > 0) agree++;
            pairs[i] = firstWins ? new PreferencePair(prompts[i], first[i], second[i]) : new PreferencePair(prompts[i], second[i], first[i]);
        }
        int decided = prompts.Count - ties;
        return new Labelling(pairs, (r1.Sum() + r2.Sum()) / (2.0 * Math.Max(1, prompts.Count)),
            (double)ties / Math.Max(1, prompts.Count), decided == 0 ? double.NaN : (double)agree / decided);
    }

    /// <summary>The text a reward scores: prompt and response decoded together (BOS and EOS left out by the tokenizer).</summary>
    public static string Text(ITextTokenizer tokenizer, int[] prompt, int[] response) => tokenizer.Decode([.. prompt, .. response]);

    /// <summary>A <see cref="TaskWorld.Score"/> for text rewards: the metrics <paramref name="scoreTexts"/> gives the
    /// decoded answers, then the build's statistics as <c>task/&lt;name&gt;</c> (constant, so every report row carries them).</summary>
    public static Func<IReadOnlyList<int[]>, int[][], IReadOnlyDictionary<string, double>> TextScorer(ITextTokenizer tokenizer,
        Func<IReadOnlyList<string>, IReadOnlyDictionary<string, double>> scoreTexts, IReadOnlyDictionary<string, double> statistics) =>
        (prompts, responses) =>
        {
            var texts = prompts.Select((p, i) => Text(tokenizer, p, responses[i])).ToArray();
            var metrics = new Dictionary<string, double>(scoreTexts(texts), StringComparer.Ordinal);
            foreach (var (name, value) in statistics) metrics["task/" + name] = value;
            return metrics;
        };
}
