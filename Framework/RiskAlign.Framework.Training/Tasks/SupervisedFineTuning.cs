using RiskAlign.Framework.Models;
using static TorchSharp.torch;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Supervised fine-tuning of a causal language model on token sequences (next-token cross-entropy on every position
/// but padding), the SFT stage that turns a pretrained model into a task's reference. AdamW, constant learning rate,
/// gradient norm clipped at 1, batches drawn by seed.
/// </summary>
public static class SupervisedFineTuning
{
    /// <summary>Fine-tunes <paramref name="model"/> in place and returns the mean loss of the last 10 % of steps (nats per token).</summary>
    /// <param name="sequences">Token sequences (BOS first), each at least 2 long and at most the model's positions.</param>
    /// <param name="padId">Id used to pad batches on the right; padded positions carry no loss.</param>
    public static double Run(CausalLanguageModel model, IReadOnlyList<int[]> sequences, int steps, int batchSize, double learningRate,
        int seed, int padId, Device device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("No sequences to fine-tune on.", nameof(sequences));
        if (sequences.Any(s => s.Length < 2 || s.Length > model.MaxSequenceLength))
            throw new ArgumentException($"Every sequence needs 2 to {model.MaxSequenceLength} tokens.", nameof(sequences));
        if (steps == 0) return double.NaN;
        model.Unfreeze();
        var random = new Random(seed);
        var tail = new List<double>();
        int tailFrom = steps - Math.Max(1, steps / 10);
        using (var optimizer = optim.AdamW(model.parameters(), lr: learningRate))
        {
            for (int step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = Enumerable.Range(0, batchSize).Select(_ => sequences[random.Next(sequences.Count)]).ToArray();
                int len = batch.Max(s => s.Length) - 1;
                var inputs = new long[batchSize * len];
                var labels = new long[batchSize * len];
                var mask = new float[batchSize * len];
                for (int i = 0; i < batchSize; i++)
                    for (int j = 0; j < len; j++)
                    {
                        bool real = j + 1 < batch[i].Length;
                        inputs[i * len + j] = j < batch[i].Length ? batch[i][j] : padId;
                        labels[i * len + j] = real ? batch[i][j + 1] : padId;
                        mask[i * len + j] = real ? 1 : 0;
                    }
                var logp = nn.functional.log_softmax(model.Forward(tensor(inputs, [batchSize, len], device: device)).to_type(ScalarType.Float32), -1);
                var weights = tensor(mask, [batchSize, len], device: device);
                var nll = -(logp.gather(-1, tensor(labels, [batchSize, len], device: device).unsqueeze(-1)).squeeze(-1) * weights).sum() / weights.sum();
                optimizer.zero_grad();
                nll.backward();
                nn.utils.clip_grad_norm_(model.parameters(), 1.0);
                optimizer.step();
                if (step >= tailFrom) tail.Add(nll.item<float>());
            }
        }
        model.Freeze();
        return tail.Average();
    }
}
