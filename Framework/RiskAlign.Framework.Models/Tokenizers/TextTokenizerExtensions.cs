namespace RiskAlign.Framework.Tokenizers;

/// <summary>The one place RiskAlign decides where EOS goes.</summary>
public static class TextTokenizerExtensions
{
    /// <summary>
    /// Ids of a complete text (a preference pair's response, a fine-tuning document), without BOS, followed by EOS when
    /// the tokenizer's Hugging Face convention appends it (<see cref="ITextTokenizer.AddEosToken"/>). Prompts use
    /// <see cref="ITextTokenizer.Encode"/> and never end with EOS: <c>generate</c> and the tasks continue them.
    /// </summary>
    public static int[] EncodeCompleteText(this ITextTokenizer tokenizer, string text)
    {
        var ids = tokenizer.Encode(text, addBos: false);
        return tokenizer.AddEosToken && tokenizer.EosId is int eos ? [.. ids, eos] : [.. ids];
    }
}
