using RiskAlign.Framework.Models;
using RiskAlign.Framework.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;
using RiskAlign.Framework.Models.Loading;
using RiskAlign.Abstractions;

namespace RiskAlign.Framework.Generation;

/// <summary>Autoregressive decoding: greedy, temperature, top-k, top-p; seeded; KV cache when the model has one.</summary>
public static class TextGenerator
{
    /// <summary>
    /// The continuation of <paramref name="prompt"/> (encoded with BOS only where the tokenizer's Hugging Face convention
    /// adds it, <see cref="ITextTokenizer.AddBosToken"/>: not for GPT-2; an empty prompt starts from BOS, else EOS), decoded
    /// to text. The prompt itself is not included. The continuation is the decoded whole sequence less the decoded prompt,
    /// so a leading space and characters split across byte-fallback tokens come out as the tokenizer would print them.
    /// </summary>
    public static string Generate(CausalLanguageModel model, ITextTokenizer tokenizer, string prompt, GenerationOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var promptIds = tokenizer.Encode(prompt, addBos: tokenizer.AddBosToken);
        if (promptIds.Count == 0 && (tokenizer.BosId ?? tokenizer.EosId) is int start) promptIds = new[] { start }; // as transformers' generate starts from bos_token_id
        if (tokenizer.VocabularySize > model.VocabularySize)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabularySize} tokens but the model only {model.VocabularySize}: they do not belong together.", nameof(tokenizer));
        var stop = options.StopAtEos ? tokenizer.StopIds : Array.Empty<int>();
        var added = GenerateIds(model, promptIds, options, stop, cancellationToken);
        string before = tokenizer.Decode(promptIds);
        string all = tokenizer.Decode(promptIds.Concat(added));
        return all.StartsWith(before, StringComparison.Ordinal) ? all[before.Length..] : tokenizer.Decode(added);
    }

    /// <summary>
    /// The one call behind <c>SweepClient generate</c>: loads the model (<see cref="ModelLoader.Load"/>) and tokenizer
    /// (<see cref="TokenizerLoader.Load"/>) from their paths and returns the continuation of <paramref name="prompt"/>.
    /// Errors (missing file, unknown format, mismatched tokenizer, option out of range) carry a message for the user.
    /// </summary>
    public static string GenerateFromFiles(string modelPath, string tokenizerPath, string prompt, GenerationOptions options,
        Device? device = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var tokenizer = TokenizerLoader.Load(tokenizerPath);
        using var model = ModelLoader.Load(modelPath, device);
        return Generate(model, tokenizer, prompt, options, cancellationToken);
    }

    /// <summary>New token ids after <paramref name="promptIds"/>; a stop id ends generation and is not returned.</summary>
    public static IReadOnlyList<int> GenerateIds(CausalLanguageModel model, IReadOnlyList<int> promptIds, GenerationOptions options,
        IReadOnlyCollection<int> stopIds, CancellationToken cancellationToken = default)
    {
        options.Validate();
        if (promptIds.Count == 0) throw new ArgumentException("Generation needs at least one prompt token (BOS).", nameof(promptIds));
        if (promptIds.Count > model.MaxSequenceLength)
            throw new ArgumentException($"Prompt of {promptIds.Count} tokens is longer than the model's {model.MaxSequenceLength} positions.", nameof(promptIds));
        var device = model.parameters().First().device;
        using var evalMode = model.InEvalMode();
        using var generator = new Generator((ulong)options.Seed, device);
        using var noGrad = no_grad();
        var cacheModel = options.UseKvCache ? model as IKvCacheModel : null;
        using var cache = cacheModel?.CreateCache();
        var all = promptIds.ToList();
        var added = new List<int>();
        for (int step = 0; step < options.MaxNewTokens && all.Count < model.MaxSequenceLength; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            Tensor logits; // [V] for the last position
            if (cacheModel is not null)
            {
                // first step: the whole prompt; then only the newest token
                var feed = step == 0 ? all : all.GetRange(all.Count - 1, 1);
                using var input = tensor(feed.Select(i => (long)i).ToArray(), new long[] { 1, feed.Count }, device: device);
                logits = cacheModel.ForwardCached(input, cache!)[0, -1];
            }
            else
            {
                using var input = tensor(all.Select(i => (long)i).ToArray(), new long[] { 1, all.Count }, device: device);
                logits = model.Forward(input)[0, -1];
            }
            int next = Pick(logits.to_type(ScalarType.Float32), options, generator);
            if (stopIds.Contains(next)) break;
            all.Add(next);
            added.Add(next);
        }
        return added;
    }

    /// <summary>One token from last-position logits <c>[V]</c>.</summary>
    internal static int Pick(Tensor logits, GenerationOptions options, Generator generator)
    {
        if (options.Temperature <= 0) return (int)logits.argmax().item<long>();
        var scaled = logits / options.Temperature;
        if (options.TopK > 0 && options.TopK < scaled.shape[0])
        {
            var kth = scaled.topk(options.TopK).values[-1];
            scaled = scaled.masked_fill(scaled < kth, HeldScalars.NegativeInfinity);
        }
        if (options.TopP < 1.0)
        {
            var (sorted, order) = scaled.sort(descending: true);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            // drop a token when the tokens before it already reach p (the first token is always kept)
            var drop = (cumulative - sorted.softmax(-1)) >= options.TopP;
            var dropInOriginalOrder = zeros_like(drop).scatter(0, order, drop);
            scaled = scaled.masked_fill(dropInOriginalOrder, HeldScalars.NegativeInfinity);
        }
        var probabilities = scaled.softmax(-1);
        return (int)multinomial(probabilities, 1, generator: generator).item<long>();
    }
}
