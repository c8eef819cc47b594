using System.Security.Cryptography;
using System.Text;
using RiskAlign.Framework.Models.Loading;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The key of a task build on disk: SHA-256 of the store's format version, the task name, its normalized typed
/// settings, the device type and the contents of every asset file the build reads (model, tokenizer, datasets,
/// lexicons; a folder by all its files; a LoRA adapter folder with its base too). Contents, not paths or dates: a moved
/// assets folder still hits, a changed file misses.
/// </summary>
internal static class TaskBuildKey
{
    /// <summary>The key, 64 hex digits.</summary>
    public static string Of(string task, string normalizedSettings, Device device, IEnumerable<string> assetPaths)
    {
        var text = new StringBuilder()
            .Append("format ").Append(TaskBuildStore.FormatVersion).Append('\n')
            .Append("task ").Append(task).Append('\n')
            .Append("settings ").Append(normalizedSettings).Append('\n')
            .Append("device ").Append(device.type).Append('\n');
        foreach (var path in assetPaths) text.Append("asset ").Append(ContentHash(path)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string ContentHash(string path)
    {
        if (File.Exists(path)) return TaskBuildStore.Sha256(path);
        if (!Directory.Exists(path)) return "missing"; // the build itself reports the missing file
        var files = Directory.GetFiles(path, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(path, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        var listing = string.Join("\n", files.Select(f => f + " " + TaskBuildStore.Sha256(Path.Combine(path, f))));
        if (LoraAdapterReader.IsAdapterFolder(path)) listing += "\nbase " + BaseHash(path); // the model read is base + adapter
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(listing)));
    }

    private static string BaseHash(string adapterFolder)
    {
        try
        {
            return ContentHash(LoraAdapterReader.BaseModelPath(adapterFolder)); // never an adapter itself: that is refused
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            return "missing"; // the build itself reports it
        }
    }
}
