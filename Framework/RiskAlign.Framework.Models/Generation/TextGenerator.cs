using RiskAlign.Framework.Models;
using RiskAlign.Framework.Tokenizers;
using RiskAlign.Framework.Models.Loading;

namespace RiskAlign.Framework.Generation;

/// <summary>Autoregressive decoding: greedy, temperature, top-k, top-p; seeded (one uniform a token from a CPU
/// <see cref="Random"/>, drawn with <see cref="TokenDraw"/> as <see cref="BatchSampler"/> draws); KV cache when the model has one.</summary>
public static class TextGenerator
{
    /// <summary>
    /// The continuation of <paramref name="prompt"/> (encoded with BOS only where the tokenizer's Hugging Face convention
    /// adds it, <see cref="ITextTokenizer.AddBosToken"/>: not for GPT-2; an empty prompt starts from BOS, else EOS; never
    /// followed by EOS, even with <see cref="ITextTokenizer.AddEosToken"/>, since the prompt is to be continued), decoded
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
        var random = SeededRandom(options.Seed);
        var settings = options.ToDrawSettings();
        using var evalMode = model.InEvalMode();
        using var noGrad = no_grad();
        var added = new List<int>();
        using var prompt = tensor(promptIds.Select(i => (long)i).ToArray(), new long[] { 1, promptIds.Count }, device: device);
        using var decoder = new IncrementalDecoder(model, prompt, options.UseKvCache,
            capacity: Math.Min(model.MaxSequenceLength, promptIds.Count + options.MaxNewTokens));
        for (int step = 0; step < options.MaxNewTokens && decoder.Length < model.MaxSequenceLength; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var next = Pick(decoder.NextLogits(), settings, random); // [1]
            int id = (int)next.item<long>();
            if (stopIds.Contains(id)) break;
            decoder.Append(next);
            added.Add(id);
        }
        return added;
    }

    /// <summary>Ids <c>[N]</c> from logits <c>[N, V]</c>, one uniform per row from <paramref name="random"/> (the shared
    /// <see cref="TokenDraw"/>; greedy settings still take the uniforms, so the stream does not depend on them).</summary>
    internal static Tensor Pick(Tensor logits, DrawSettings settings, Random random)
    {
        var uniforms = new double[logits.shape[0]];
        for (int i = 0; i < uniforms.Length; i++) uniforms[i] = random.NextDouble();
        using var u = tensor(uniforms, device: logits.device);
        return TokenDraw.Pick(logits, u, settings);
    }

    /// <summary>The CPU generator behind a 64-bit seed: both halves matter.</summary>
    internal static Random SeededRandom(long seed) => new(unchecked((int)seed ^ (int)(seed >> 32)));
}
