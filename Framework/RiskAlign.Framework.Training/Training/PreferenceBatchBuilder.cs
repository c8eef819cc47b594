using RiskAlign.Framework.Plugins;
using RiskAlign.Framework.Data;

namespace RiskAlign.Framework.Training;

/// <summary>Input ids, labels and response mask of B pairs: rows <c>0..B-1</c> chosen, <c>B..2B-1</c> rejected.</summary>
/// <param name="InputIds">Sequence (prompt + response) without its last token, right-padded <c>[2B, T]</c>, int64.</param>
/// <param name="Labels">The token each position predicts (the input shifted by one) <c>[2B, T]</c>, int64; the pad id where there is none.</param>
/// <param name="Mask">1 where the label is a response token <c>[2B, T]</c>, float32.</param>
public sealed record PreferenceBatchTensors(Tensor InputIds, Tensor Labels, Tensor Mask) : IDisposable
{
    /// <summary>Number of pairs, B.</summary>
    public int PairCount => (int)(InputIds.shape[0] / 2);

    /// <inheritdoc />
    public void Dispose()
    {
        InputIds.Dispose();
        Labels.Dispose();
        Mask.Dispose();
    }
}

/// <summary>
/// Turns preference pairs into the padded tensors the trainer feeds the model. A sequence <c>s = prompt ++ response</c>
/// of n tokens gives inputs <c>s[0..n-2]</c> and labels <c>s[1..n-1]</c>: position t's logits predict <c>s[t+1]</c>.
/// The mask is 1 on the positions whose label is a response token, <c>|prompt|-1 ≤ t &lt; n-1</c>. Rows are right-padded
/// with the pad id (a valid vocabulary id, so gathers never go out of range) to the longest row, or to a given length.
/// </summary>
public static class PreferenceBatchBuilder
{
    /// <summary>Builds the tensors of <paramref name="pairs"/> on <paramref name="device"/>.</summary>
    /// <param name="length">T; at least the longest sequence minus one; null = exactly that.</param>
    public static PreferenceBatchTensors Build(IReadOnlyList<PreferencePair> pairs, int padTokenId, Device device, int? length = null)
    {
        if (pairs.Count == 0) throw new ArgumentException("A batch needs at least one preference pair.");
        int b = pairs.Count;
        int longest = pairs.Max(p => p.Prompt.Length + Math.Max(p.Chosen.Length, p.Rejected.Length)) - 1;
        int t = length ?? longest;
        if (t < longest) throw new ArgumentException($"Batch length {t} is shorter than the longest sequence ({longest + 1} tokens).");
        var ids = new long[2 * b * t];
        var labels = new long[2 * b * t];
        var mask = new float[2 * b * t];
        Array.Fill(ids, padTokenId);
        Array.Fill(labels, padTokenId);
        for (int i = 0; i < b; i++)
        {
            var pair = pairs[i];
            if (pair.Prompt.Length == 0) throw new ArgumentException($"Pair {i} has an empty prompt; the first response token needs a position to be predicted from.");
            if (pair.Chosen.Length == 0 || pair.Rejected.Length == 0) throw new ArgumentException($"Pair {i} has an empty response.");
            Fill(i, pair.Prompt, pair.Chosen);
            Fill(b + i, pair.Prompt, pair.Rejected);
        }
        return new PreferenceBatchTensors(
            tensor(ids, [2 * b, t], device: device),
            tensor(labels, [2 * b, t], device: device),
            tensor(mask, [2 * b, t], device: device));

        void Fill(int row, int[] prompt, int[] response)
        {
            int n = prompt.Length + response.Length, offset = row * t;
            for (int j = 0; j < n - 1; j++)
            {
                ids[offset + j] = j < prompt.Length ? prompt[j] : response[j - prompt.Length];
                int next = j + 1;
                labels[offset + j] = next < prompt.Length ? prompt[next] : response[next - prompt.Length];
                mask[offset + j] = next >= prompt.Length ? 1f : 0f;
            }
        }
    }
}
