namespace RiskAlign.Framework.Tasks;

/// <summary>
/// Supervised fine-tuning of a causal language model: next-token cross-entropy averaged over the positions a batch
/// weighs, AdamW at a constant learning rate. The SFT stage that turns a model into a task's reference; the model is
/// left frozen (<see cref="CausalLanguageModel.Freeze"/>).
/// </summary>
public static class SupervisedFineTuning
{
    /// <summary>One step's batch: <see cref="Inputs"/> and <see cref="Labels"/> are token ids [B, T] row-major,
    /// <see cref="Weights"/> the loss weight of each position [B, T] (0 = no loss: padding, prompt).</summary>
    public sealed record Batch(long[] Inputs, long[] Labels, float[] Weights, int Size, int Length);

    /// <summary>Fine-tunes on token sequences (loss on every position but padding), batches drawn by seed, gradient
    /// norm clipped at 1; returns the mean loss of the last 10 % of steps (nats per token).</summary>
    /// <param name="sequences">Token sequences (BOS first), each at least 2 long and at most the model's positions.</param>
    /// <param name="padId">Id used to pad batches on the right (<see cref="TaskWorld.PadIdFor"/>); padded positions carry no loss.</param>
    public static double Run(CausalLanguageModel model, IReadOnlyList<int[]> sequences, int steps, int batchSize, double learningRate,
        int seed, int padId, Device device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0) throw new ArgumentException("No sequences to fine-tune on.", nameof(sequences));
        if (sequences.Any(s => s.Length < 2 || s.Length > model.MaxSequenceLength))
            throw new ArgumentException($"Every sequence needs 2 to {model.MaxSequenceLength} tokens.", nameof(sequences));
        var random = new Random(seed);
        return Run(model, () => PaddedBatch(sequences, random, batchSize, padId), steps, learningRate, maxGradNorm: 1.0, device, cancellationToken);
    }

    /// <summary>Fine-tunes on the batches <paramref name="nextBatch"/> makes, one per step, and returns the mean loss of
    /// the last 10 % of steps (NaN when <paramref name="steps"/> is 0: the model is then left as it was).</summary>
    /// <param name="maxGradNorm">Clip the gradient norm to this before each step; null = no clipping.</param>
    public static double Run(CausalLanguageModel model, Func<Batch> nextBatch, int steps, double learningRate, double? maxGradNorm,
        Device device, CancellationToken cancellationToken = default)
    {
        if (steps == 0) return double.NaN;
        model.Unfreeze();
        var tail = new List<double>();
        int tailFrom = steps - Math.Max(1, steps / 10);
        using (var optimizer = optim.AdamW(model.parameters(), lr: learningRate))
        {
            for (int step = 0; step < steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = nextBatch();
                long[] shape = [batch.Size, batch.Length];
                var logp = nn.functional.log_softmax(model.Forward(tensor(batch.Inputs, shape, device: device)).to_type(ScalarType.Float32), -1); // [B, T, V]
                var weights = tensor(batch.Weights, shape, device: device);
                var nll = -(logp.gather(-1, tensor(batch.Labels, shape, device: device).unsqueeze(-1)).squeeze(-1) * weights).sum() / weights.sum();
                optimizer.zero_grad();
                nll.backward();
                if (maxGradNorm is { } norm) nn.utils.clip_grad_norm_(model.parameters(), norm);
                optimizer.step();
                if (step >= tailFrom) tail.Add(nll.item<float>());
            }
        }
        model.Freeze();
        return tail.Average();
    }

    // batchSize sequences drawn with replacement, right-padded to the longest; loss on every real next token.
    private static Batch PaddedBatch(IReadOnlyList<int[]> sequences, Random random, int batchSize, int padId)
    {
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
        return new Batch(inputs, labels, mask, batchSize, len);
    }
}
