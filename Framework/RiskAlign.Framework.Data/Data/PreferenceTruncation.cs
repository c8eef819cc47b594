namespace RiskAlign.Framework.Data;

/// <summary>
/// Token-level truncation that keeps the responses: the prompt is cut from the left first (its most recent
/// tokens stay); only when the prompt is gone and a response is still too long is that response cut at its end.
/// </summary>
public static class PreferenceTruncation
{
    /// <summary>
    /// Truncates <paramref name="prompt"/> + <paramref name="response"/> to at most <paramref name="maxLength"/>
    /// tokens; with <paramref name="maxPromptLength"/> the prompt keeps at most that many (last) tokens first.
    /// </summary>
    public static (int[] Prompt, int[] Response) Truncate(int[] prompt, int[] response, int maxLength, int? maxPromptLength = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var pair = Truncate(new PreferencePair(prompt, response, response), maxLength, maxPromptLength);
        return (pair.Prompt, pair.Chosen);
    }

    /// <summary>
    /// Truncates a pair so that prompt + each response fits in <paramref name="maxLength"/> tokens, the prompt
    /// staying shared: the prompt loses <c>max(0, |prompt| + max(|chosen|, |rejected|) − maxLength)</c> tokens from
    /// its left (after the optional <paramref name="maxPromptLength"/> cut); a response longer than what is left
    /// keeps its first tokens.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> &lt; 1 or <paramref name="maxPromptLength"/> &lt; 0.</exception>
    public static PreferencePair Truncate(PreferencePair pair, int maxLength, int? maxPromptLength = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (maxPromptLength is < 0) throw new ArgumentOutOfRangeException(nameof(maxPromptLength), maxPromptLength, "Must be 0 or more.");
        var prompt = pair.Prompt;
        if (maxPromptLength is { } mp && prompt.Length > mp) prompt = prompt[^mp..];
        var longest = Math.Max(pair.Chosen.Length, pair.Rejected.Length);
        var overflow = prompt.Length + longest - maxLength;
        if (overflow > 0) prompt = prompt[Math.Min(overflow, prompt.Length)..];
        var room = maxLength - prompt.Length;
        return new PreferencePair(
            prompt,
            pair.Chosen.Length > room ? pair.Chosen[..room] : pair.Chosen,
            pair.Rejected.Length > room ? pair.Rejected[..room] : pair.Rejected);
    }

    /// <summary>
    /// Tokenizes a text pair with any tokenizer (prompt and each response separately, so token boundaries never
    /// cross the prompt/response seam) and truncates it as <see cref="Truncate(PreferencePair, int, int?)"/> does.
    /// </summary>
    public static PreferencePair Tokenize(TextPreferencePair pair, Func<string, int[]> tokenize, int maxLength, int? maxPromptLength = null) =>
        Tokenize(pair, tokenize, tokenize, maxLength, maxPromptLength);

    /// <summary>As <see cref="Tokenize(TextPreferencePair, Func{string, int[]}, int, int?)"/>, the responses with their own
    /// tokenization (a complete text: followed by EOS where the tokenizer's convention appends it). A response cut by
    /// <paramref name="maxLength"/> loses its EOS, as in TRL, which truncates after appending it.</summary>
    public static PreferencePair Tokenize(TextPreferencePair pair, Func<string, int[]> tokenizePrompt, Func<string, int[]> tokenizeResponse,
        int maxLength, int? maxPromptLength = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(tokenizePrompt);
        ArgumentNullException.ThrowIfNull(tokenizeResponse);
        return Truncate(new PreferencePair(tokenizePrompt(pair.Prompt), tokenizeResponse(pair.Chosen), tokenizeResponse(pair.Rejected)), maxLength, maxPromptLength);
    }
}
