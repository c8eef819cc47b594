namespace RiskAlign.Framework.Tests.Reports;

/// <summary>Base of the tests that write report files: a fresh temporary folder per test, deleted afterwards.</summary>
public abstract class ReportFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("riskalign-report-").FullName;

    /// <summary>A path inside the test's folder.</summary>
    protected string PathOf(string name) => Path.Combine(_folder, name);

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }
}
