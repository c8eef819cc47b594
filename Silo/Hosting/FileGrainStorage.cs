using System.Text.Json;
using Orleans.Storage;

namespace RiskAlign.Silo.Hosting;

/// <summary>
/// Grain state as one JSON file per grain in a folder (<see cref="RiskAlignClusterOptions.StorageFolder"/>), so a
/// single-machine cluster (the embedded one of <c>run</c>) keeps its sweeps when its process dies and can resume
/// them. Each write goes to a temporary file first and replaces the old one by a rename, so a process killed
/// mid-write leaves the previous state, never half of one. Meant for one silo per folder: there is no locking
/// between processes and ETags are not checked.
/// </summary>
public sealed class FileGrainStorage(string folder) : IGrainStorage
{
    /// <summary>The file holding a grain's state: names are escaped, so every state name and grain id has its own.</summary>
    public string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(folder, Uri.EscapeDataString($"{stateName}-{grainId}") + ".json");

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        if (!File.Exists(path)) return;
        await using var stream = File.OpenRead(path);
        try
        {
            grainState.State = await JsonSerializer.DeserializeAsync<T>(stream, RiskAlignJson.Options)
                ?? throw new InvalidDataException("null state");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a readable grain state ({e.Message}); move the file away to start this grain afresh.", e);
        }
        grainState.ETag = File.GetLastWriteTimeUtc(path).Ticks.ToString();
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Directory.CreateDirectory(folder);
        var path = PathOf(stateName, grainId);
        var temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        await using (var stream = File.Create(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, grainState.State, RiskAlignJson.Options);
            await stream.FlushAsync();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        grainState.ETag = File.GetLastWriteTimeUtc(path).Ticks.ToString();
        grainState.RecordExists = true;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        File.Delete(PathOf(stateName, grainId));
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
