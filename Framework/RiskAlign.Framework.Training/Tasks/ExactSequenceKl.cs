namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The sequence-level drift of a policy on its own samples, computed exactly over the vocabulary:
/// mean over samples of <c>Σ_t KL(π_θ(·|x,y&lt;t) ‖ π_ref(·|x,y&lt;t))</c> at the response positions. With responses
/// sampled from π_θ this is an unbiased estimate of KL(π_θ(·|x) ‖ π_ref(·|x)) with far less variance than the
/// log-ratio of the samples alone (the DPO paper's IMDb frontier measures the same quantity).
/// </summary>
internal static class ExactSequenceKl
{
    /// <summary>Mean sequence KL of <paramref name="responses"/> (equal lengths) to <paramref name="prompts"/>; prompts of
    /// different lengths are batched by length.</summary>
    public static double Mean(CausalLanguageModel policy, CausalLanguageModel reference, IReadOnlyList<int[]> prompts,
        IReadOnlyList<int[]> responses, Device device, int batchSize = 128)
    {
        if (prompts.Count != responses.Count) throw new ArgumentException("One response per prompt is needed.");
        if (prompts.Count == 0) return double.NaN;
        double total = 0;
        foreach (var group in Enumerable.Range(0, prompts.Count).GroupBy(i => prompts[i].Length))
        {
            var (groupPrompts, groupResponses) = (group.Select(i => prompts[i]).ToArray(), group.Select(i => responses[i]).ToArray());
            for (int start = 0; start < groupPrompts.Length; start += batchSize)
            {
                int n = Math.Min(batchSize, groupPrompts.Length - start);
                total += Sum(policy, reference, groupPrompts, groupResponses, start, n, device);
            }
        }
        return total / prompts.Count;
    }

    private static double Sum(CausalLanguageModel policy, CausalLanguageModel reference, IReadOnlyList<int[]> prompts,
        IReadOnlyList<int[]> responses, int start, int n, Device device)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int p = prompts[start].Length, l = responses[start].Length, len = p + l - 1;
        var flat = new long[n * len];
        for (int i = 0; i < n; i++)
        {
            var (prompt, response) = (prompts[start + i], responses[start + i]);
            if (prompt.Length != p || response.Length != l) throw new ArgumentException("ExactSequenceKl needs prompts and responses of equal lengths.");
            for (int j = 0; j < len; j++) flat[i * len + j] = j < p ? prompt[j] : response[j - p];
        }
        var ids = tensor(flat, [n, len], device: device);
        // positions p-1 .. p+l-2 predict the l response tokens: [N, L, V]
        var logp = nn.functional.log_softmax(policy.Forward(ids).to_type(ScalarType.Float32), -1).narrow(1, p - 1, l);
        var logpRef = nn.functional.log_softmax(reference.Forward(ids).to_type(ScalarType.Float32), -1).narrow(1, p - 1, l);
        return (logp.exp() * (logp - logpRef)).sum().to_type(ScalarType.Float64).item<double>();
    }
}
