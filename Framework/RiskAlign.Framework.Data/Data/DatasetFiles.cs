using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace RiskAlign.Framework.Data;

/// <summary>Opening dataset files (gzip detected by its magic bytes, not the name) and reading them line by line.</summary>
internal static class DatasetFiles
{
    /// <summary>Opens <paramref name="path"/> for reading, decompressing gzip transparently.</summary>
    public static Stream Open(string path, bool useAsync = false)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Dataset file '{path}' not found.", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (n == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
                return new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public static StreamReader OpenText(string path, bool useAsync = false) =>
        new(Open(path, useAsync), new UTF8Encoding(false, throwOnInvalidBytes: false), detectEncodingFromByteOrderMarks: true);

    /// <summary>The lines of <paramref name="path"/> with their 1-based numbers.</summary>
    public static IEnumerable<(long Number, string Text)> ReadLines(string path, CancellationToken cancellationToken)
    {
        using var reader = OpenText(path);
        long number = 0;
        while (reader.ReadLine() is { } line)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return (++number, line);
        }
    }

    /// <summary>The lines of <paramref name="path"/> with their 1-based numbers, read asynchronously.</summary>
    public static async IAsyncEnumerable<(long Number, string Text)> ReadLinesAsync(
        string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = OpenText(path, useAsync: true);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            yield return (++number, line);
    }

    /// <summary>Parses one line as a JSON object, or a clear error naming file and line.</summary>
    public static JsonDocument ParseObject(string file, long line, string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new DatasetFormatException(file, line, $"not valid JSON ({ex.Message})", ex);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new DatasetFormatException(file, line, $"expected a JSON object, found {Describe(kind)}");
        }
        return document;
    }

    /// <summary>The string property <paramref name="name"/> of <paramref name="obj"/>, or a clear error.</summary>
    public static string RequireString(JsonElement obj, string name, string file, long line, string? path = null)
    {
        var field = path is null ? name : $"{path}.{name}";
        if (obj.ValueKind != JsonValueKind.Object)
            throw new DatasetFormatException(file, line, $"expected '{path}' to be an object, found {Describe(obj.ValueKind)}");
        if (!obj.TryGetProperty(name, out var value))
            throw new DatasetFormatException(file, line, $"missing field '{field}' (a string)");
        if (value.ValueKind != JsonValueKind.String)
            throw new DatasetFormatException(file, line, $"field '{field}' must be a string, found {Describe(value.ValueKind)}");
        return value.GetString()!;
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
