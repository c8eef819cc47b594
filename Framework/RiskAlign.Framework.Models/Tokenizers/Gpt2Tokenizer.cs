using Microsoft.ML.Tokenizers;

namespace RiskAlign.Framework.Tokenizers;

/// <summary>GPT-2 byte-level BPE from vocab.json + merges.txt, through Microsoft.ML.Tokenizers' CodeGenTokenizer
/// (the GPT-2 byte-level BPE with GPT-2's pre-tokenizer regex). &lt;|endoftext|&gt; is both BOS and EOS and, as in
/// transformers' GPT2Tokenizer (add_bos_token false), text is encoded without it; a tokenizer_config.json beside the
/// files overrides bos_token, eos_token, add_bos_token (see <see cref="SpecialTokens"/>).</summary>
public sealed class Gpt2Tokenizer : MicrosoftTokenizerAdapter
{
    private Gpt2Tokenizer(CodeGenTokenizer inner, string folder) : base(inner, inner.Vocabulary, folder, Defaults(inner))
    {
    }

    private static SpecialTokens Defaults(CodeGenTokenizer inner)
    {
        int? endOfText = inner.Vocabulary.TryGetValue("<|endoftext|>", out int id) ? id : null;
        return new SpecialTokens(endOfText, endOfText, AddBos: false, AddEos: false);
    }

    /// <summary>Reads vocab.json and merges.txt.</summary>
    public static Gpt2Tokenizer Load(string vocabPath, string mergesPath)
    {
        foreach (var p in new[] { vocabPath, mergesPath })
            if (!File.Exists(p)) throw new FileNotFoundException($"GPT-2 tokenizer file '{p}' not found.", p);
        using var vocab = File.OpenRead(vocabPath);
        using var merges = File.OpenRead(mergesPath);
        try
        {
            return new Gpt2Tokenizer(CodeGenTokenizer.Create(vocab, merges, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false),
                Path.GetDirectoryName(Path.GetFullPath(vocabPath))!);
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new InvalidDataException($"{vocabPath} / {mergesPath}: not a GPT-2 byte-level BPE vocabulary ({e.Message})", e);
        }
    }
}
