using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// Grain storage that outlives any one silo of an in-process test cluster, as a database outlives a machine:
/// every silo reads and writes the same dictionary, holding serialized copies (so no silo shares live objects).
/// Orleans' memory storage cannot stand in here: it keeps state in a grain, which dies with its silo.
/// </summary>
internal sealed class SharedGrainStorage(ConcurrentDictionary<string, (byte[] Data, string ETag)> store, Serializer serializer) : IGrainStorage
{
    public static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (store.TryGetValue(Key(stateName, grainId), out var stored))
        {
            grainState.State = serializer.Deserialize<T>(stored.Data);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = Guid.NewGuid().ToString("N");
        store[Key(stateName, grainId)] = (serializer.SerializeToArray(grainState.State), etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        store.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
