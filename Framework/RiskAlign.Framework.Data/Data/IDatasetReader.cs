namespace RiskAlign.Framework.Data;

/// <summary>
/// Streams the records of one or more dataset files, lazily, in file order. Every enumeration re-reads the
/// files from the start. A malformed record ends the enumeration with a <see cref="DatasetFormatException"/>.
/// </summary>
public interface IDatasetReader<out T>
{
    /// <summary>The records, read synchronously.</summary>
    IEnumerable<T> Read(CancellationToken cancellationToken = default);

    /// <summary>The records, read with asynchronous I/O.</summary>
    IAsyncEnumerable<T> ReadAsync(CancellationToken cancellationToken = default);
}
