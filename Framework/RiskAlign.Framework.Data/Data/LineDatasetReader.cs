using System.Runtime.CompilerServices;

namespace RiskAlign.Framework.Data;

/// <summary>
/// Base of the one-record-a-line readers: streams the files in order, skips whitespace-only lines and hands
/// every other line to <see cref="TryParse"/>, which either yields a record, skips it on purpose (and counts
/// why), or throws <see cref="DatasetFormatException"/>.
/// </summary>
public abstract class LineDatasetReader<T> : IDatasetReader<T>
{
    /// <summary>Reads <paramref name="files"/> in the order given (plain or gzip).</summary>
    protected LineDatasetReader(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Files = files.ToArray();
        if (Files.Count == 0) throw new ArgumentException("At least one dataset file is needed.", nameof(files));
    }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Called when an enumeration starts (reset counters here).</summary>
    protected virtual void OnStart() { }

    /// <summary>Called for each whitespace-only line.</summary>
    protected virtual void OnBlankLine(string file, long line) { }

    /// <summary>Parses one non-blank line: true with the record to yield, false to skip it on purpose.</summary>
    protected abstract bool TryParse(string file, long line, string text, out T record);

    /// <inheritdoc />
    public IEnumerable<T> Read(CancellationToken cancellationToken = default)
    {
        OnStart();
        foreach (var file in Files)
        {
            foreach (var (number, text) in DatasetFiles.ReadLines(file, cancellationToken))
            {
                if (string.IsNullOrWhiteSpace(text)) { OnBlankLine(file, number); continue; }
                if (TryParse(file, number, text, out var record)) yield return record;
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<T> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        OnStart();
        foreach (var file in Files)
        {
            await foreach (var (number, text) in DatasetFiles.ReadLinesAsync(file, cancellationToken).ConfigureAwait(false))
            {
                if (string.IsNullOrWhiteSpace(text)) { OnBlankLine(file, number); continue; }
                if (TryParse(file, number, text, out var record)) yield return record;
            }
        }
    }
}
