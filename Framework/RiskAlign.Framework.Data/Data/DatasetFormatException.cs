namespace RiskAlign.Framework.Data;

/// <summary>
/// A dataset file holds a record that cannot be read. The message names the file, the 1-based line and
/// what was expected, in the form <c>path:line: what is wrong</c>.
/// </summary>
public sealed class DatasetFormatException : FormatException
{
    /// <summary>Creates the error for <paramref name="file"/> at 1-based <paramref name="line"/>.</summary>
    public DatasetFormatException(string file, long line, string problem, Exception? innerException = null)
        : base($"{file}:{line}: {problem}", innerException)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    /// <summary>The dataset file.</summary>
    public string File { get; }

    /// <summary>1-based line number of the malformed record (for a JSON array, the line where the element starts).</summary>
    public long Line { get; }

    /// <summary>What was wrong, without the file and line prefix.</summary>
    public string Problem { get; }
}
