using System.IO.Compression;
using System.Text;

namespace RiskAlign.Framework.Tests.Data;

/// <summary>Temporary dataset files for malformed-input tests, deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "riskalign-data-" + Guid.NewGuid().ToString("N"));

    public TempFiles() => Directory.CreateDirectory(_folder);

    public string Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public string WriteGzip(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
