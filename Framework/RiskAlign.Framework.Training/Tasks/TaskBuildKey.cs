using System.Security.Cryptography;
using System.Text;
using RiskAlign.Abstractions;
using RiskAlign.Framework.Data;
using RiskAlign.Framework.Models.Loading;

namespace RiskAlign.Framework.Tasks;

/// <summary>
/// The key of a task build on disk: SHA-256 of the store's format version, the code that builds tasks
/// (<see cref="CodeIdentity"/>), the task name, its normalized typed settings, the device type and the contents of every
/// asset file the build reads (model, tokenizer, datasets, lexicons; a folder by all its files; a LoRA adapter folder
/// with its base too). Contents, not paths or dates: a moved assets folder still hits, a changed file misses.
/// </summary>
internal static class TaskBuildKey
{
    /// <summary>
    /// The module version ids of the assemblies whose code decides what a task build holds (tasks and training, data
    /// readers and rewards, models and tokenizers, the contracts, TorchSharp). The build is deterministic, so the same
    /// source gives the same ids, and changed code misses instead of reading what older code built.
    /// </summary>
    public static string CodeIdentity { get; } = string.Join(" ",
        new[] { typeof(TaskBuildKey), typeof(ShareGptDpoReader), typeof(LoraAdapterReader), typeof(ParameterValue), typeof(torch) }
            .Select(type => type.Assembly)
            .Select(assembly => $"{assembly.GetName().Name}:{assembly.ManifestModule.ModuleVersionId:N}"));

    /// <summary>The key, 64 hex digits.</summary>
    public static string Of(string task, string normalizedSettings, Device device, IEnumerable<string> assetPaths) =>
        Of(task, normalizedSettings, device, assetPaths, CodeIdentity);

    /// <summary>The key for the code named by <paramref name="codeIdentity"/> (tests: another build's).</summary>
    internal static string Of(string task, string normalizedSettings, Device device, IEnumerable<string> assetPaths, string codeIdentity)
    {
        var text = new StringBuilder()
            .Append("format ").Append(TaskBuildStore.FormatVersion).Append('\n')
            .Append("code ").Append(codeIdentity).Append('\n')
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
