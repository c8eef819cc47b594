using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using RiskAlign.Framework.Assets;

namespace RiskAlign.Framework.Data;

/// <summary>
/// Reads ShareGPT-style DPO data (the LLaMA-Factory layout): records
/// <c>{"conversations": [{"from": "system"|"human"|"gpt", "value": "..."}, ...], "chosen": {"from": "gpt", "value"},
/// "rejected": {"from": "gpt", "value"}}</c>, either as one JSON array (file starts with <c>[</c>) or as JSON lines;
/// plain or gzip.
/// </summary>
/// <remarks>
/// The conversation is rendered in the HH-RLHF transcript style by <see cref="RenderPrompt"/>, so a model trained on
/// either sees one format: each turn becomes <c>"\n\n" + Role + ": " + value</c> with roles <c>System</c>,
/// <c>Human</c> (from <c>human</c>/<c>user</c>) and <c>Assistant</c> (from <c>gpt</c>/<c>assistant</c>), then
/// <c>"\n\nAssistant:"</c>; the responses are <c>" " + value</c>. The last turn must be from the human.
/// A JSON array is read into memory as bytes and its elements parsed one at a time; errors name the line
/// where the element starts.
/// </remarks>
public sealed class ShareGptDpoReader : IPreferencePairReader
{
    /// <summary>Reads one file.</summary>
    public ShareGptDpoReader(string file) : this([file]) { }

    /// <summary>Reads the files in the order given.</summary>
    public ShareGptDpoReader(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Files = files.ToArray();
        if (Files.Count == 0) throw new ArgumentException("At least one dataset file is needed.", nameof(files));
    }

    /// <summary>The LLaMA-Factory demo file in the assets folder (<c>preference-demo/dpo_en_demo.json</c>, 300 pairs).</summary>
    public static ShareGptDpoReader Demo(string? assetsFolder = null) =>
        new(AssetLocator.Require("preference-demo/dpo_en_demo.json", assetsFolder));

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Counts of the latest (or current) enumeration.</summary>
    public PreferenceReadStatistics Statistics { get; } = new();

    /// <summary>Renders turns <c>(from, value)</c> as an HH-style prompt ending in <c>"\n\nAssistant:"</c>.</summary>
    /// <exception cref="ArgumentException">An unknown role, or the last turn is not the human's.</exception>
    public static string RenderPrompt(IReadOnlyList<(string From, string Value)> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        if (turns.Count == 0) throw new ArgumentException("A conversation needs at least one turn.", nameof(turns));
        var text = new StringBuilder();
        for (var i = 0; i < turns.Count; i++)
        {
            var role = RoleOf(turns[i].From)
                ?? throw new ArgumentException($"conversations[{i}].from: unknown role '{turns[i].From}' (expected system, human/user or gpt/assistant)", nameof(turns));
            text.Append("\n\n").Append(role).Append(": ").Append(turns[i].Value);
        }
        if (RoleOf(turns[^1].From) != "Human")
            throw new ArgumentException($"conversations[{turns.Count - 1}].from: the last turn must be the human's, found '{turns[^1].From}'", nameof(turns));
        return text.Append(HhRlhfReader.AssistantMarker).ToString();
    }

    private static string? RoleOf(string from) => from.ToLowerInvariant() switch
    {
        "system" => "System",
        "human" or "user" => "Human",
        "gpt" or "assistant" => "Assistant",
        _ => null,
    };

    /// <inheritdoc />
    public IEnumerable<TextPreferencePair> Read(CancellationToken cancellationToken = default)
    {
        Statistics.Reset();
        foreach (var file in Files)
        {
            byte[] bytes;
            using (var stream = DatasetFiles.Open(file))
            using (var memory = new MemoryStream())
            {
                stream.CopyTo(memory);
                bytes = memory.ToArray();
            }
            foreach (var pair in ParseFile(file, bytes, cancellationToken))
                yield return pair;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TextPreferencePair> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Statistics.Reset();
        foreach (var file in Files)
        {
            byte[] bytes;
            await using (var stream = DatasetFiles.Open(file, useAsync: true))
            using (var memory = new MemoryStream())
            {
                await stream.CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
                bytes = memory.ToArray();
            }
            foreach (var pair in ParseFile(file, bytes, cancellationToken))
                yield return pair;
        }
    }

    private IEnumerable<TextPreferencePair> ParseFile(string file, byte[] bytes, CancellationToken cancellationToken)
    {
        var start = SkipPreamble(bytes);
        if (start < bytes.Length && bytes[start] == (byte)'[')
            return ParseArray(file, bytes, cancellationToken);
        return ParseLines(file, bytes, cancellationToken);
    }

    private static int SkipPreamble(byte[] bytes)
    {
        var i = bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0;
        while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }

    private IEnumerable<TextPreferencePair> ParseLines(string file, byte[] bytes, CancellationToken cancellationToken)
    {
        var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        long number = 0;
        while (reader.ReadLine() is { } text)
        {
            cancellationToken.ThrowIfCancellationRequested();
            number++;
            if (string.IsNullOrWhiteSpace(text)) { Statistics.BlankLines++; continue; }
            using var document = DatasetFiles.ParseObject(file, number, text);
            if (Accept(ToPair(document.RootElement, file, number), out var pair)) yield return pair;
        }
    }

    private IEnumerable<TextPreferencePair> ParseArray(string file, byte[] bytes, CancellationToken cancellationToken)
    {
        var arrayStart = SkipPreamble(bytes);
        var firstLine = 1 + CountNewlines(bytes, 0, arrayStart); // the reader state counts lines from '['
        var (state, offset) = OpenArray(bytes, arrayStart);
        var line = firstLine;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (document, elementStart, next, newState) = NextElement(file, bytes, offset, state, firstLine);
            if (document is null) yield break;
            line += CountNewlines(bytes, offset, elementStart);
            TextPreferencePair candidate;
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new DatasetFormatException(file, line, $"expected each array element to be an object, found {DatasetFiles.Describe(document.RootElement.ValueKind)}");
                candidate = ToPair(document.RootElement, file, line);
            }
            line += CountNewlines(bytes, elementStart, next);
            offset = next;
            state = newState;
            if (Accept(candidate, out var pair)) yield return pair;
        }
    }

    /// <summary>Reads the opening '[' so that the reader state knows it is inside an array.</summary>
    private static (JsonReaderState State, int Offset) OpenArray(byte[] bytes, int arrayStart)
    {
        var options = new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        var reader = new Utf8JsonReader(bytes.AsSpan(arrayStart), isFinalBlock: true, new JsonReaderState(options));
        reader.Read(); // the '[' found by SkipPreamble
        return (reader.CurrentState, arrayStart + (int)reader.BytesConsumed);
    }

    /// <summary>The next array element (null at the closing bracket), where it starts and where reading resumes.</summary>
    private static (JsonDocument? Document, int Start, int Next, JsonReaderState State) NextElement(
        string file, byte[] bytes, int offset, JsonReaderState state, long firstLine)
    {
        var reader = new Utf8JsonReader(bytes.AsSpan(offset), isFinalBlock: true, state);
        try
        {
            if (!reader.Read())
                throw new DatasetFormatException(file, firstLine + CountNewlines(bytes, offset, bytes.Length), "unexpected end of file: the JSON array is not closed with ']'");
            if (reader.TokenType == JsonTokenType.EndArray) return (null, 0, 0, default);
            var start = offset + (int)reader.TokenStartIndex;
            var document = JsonDocument.ParseValue(ref reader);
            return (document, start, offset + (int)reader.BytesConsumed, reader.CurrentState);
        }
        catch (JsonException ex)
        {
            // The reader state carries its 0-based line count across slices, from the first slice on.
            var at = firstLine + (ex.LineNumber ?? 0);
            throw new DatasetFormatException(file, at, $"not valid JSON ({ex.Message})", ex);
        }
    }

    private static long CountNewlines(byte[] bytes, int from, int to) =>
        to <= from ? 0 : bytes.AsSpan(from, to - from).Count((byte)'\n');

    private bool Accept(TextPreferencePair candidate, out TextPreferencePair pair)
    {
        pair = candidate;
        Statistics.Read++;
        if (string.Equals(candidate.Chosen, candidate.Rejected, StringComparison.Ordinal))
        {
            Statistics.DroppedIdentical++;
            return false;
        }
        Statistics.Kept++;
        return true;
    }

    private static TextPreferencePair ToPair(JsonElement root, string file, long line)
    {
        if (!root.TryGetProperty("conversations", out var conversations))
            throw new DatasetFormatException(file, line, "missing field 'conversations' (an array of {\"from\", \"value\"})");
        if (conversations.ValueKind != JsonValueKind.Array || conversations.GetArrayLength() == 0)
            throw new DatasetFormatException(file, line, $"field 'conversations' must be a non-empty array, found {DatasetFiles.Describe(conversations.ValueKind)}");
        var turns = new List<(string, string)>();
        var index = 0;
        foreach (var turn in conversations.EnumerateArray())
        {
            var path = $"conversations[{index++}]";
            turns.Add((DatasetFiles.RequireString(turn, "from", file, line, path), DatasetFiles.RequireString(turn, "value", file, line, path)));
        }
        string prompt;
        try
        {
            prompt = RenderPrompt(turns);
        }
        catch (ArgumentException ex)
        {
            throw new DatasetFormatException(file, line, ex.Message.Split(" (Parameter")[0], ex);
        }
        return new TextPreferencePair(prompt, " " + Response(root, "chosen", file, line), " " + Response(root, "rejected", file, line));
    }

    private static string Response(JsonElement root, string name, string file, long line)
    {
        if (!root.TryGetProperty(name, out var response))
            throw new DatasetFormatException(file, line, $"missing field '{name}' (an object {{\"from\": \"gpt\", \"value\"}})");
        var from = DatasetFiles.RequireString(response, "from", file, line, name);
        if (RoleOf(from) != "Assistant")
            throw new DatasetFormatException(file, line, $"field '{name}.from' must be gpt or assistant, found '{from}'");
        return DatasetFiles.RequireString(response, "value", file, line, name);
    }
}
