using System.Collections.Concurrent;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Grain storage of the embedded default: serialized copies held by the process rather than by a storage
/// grain, so state written by a silo outlives that silo being killed inside the process (Orleans' memory
/// storage keeps state in grains that die with their silo). ETags make concurrent writers fail.
/// </summary>
public sealed class InProcessGrainStorage(Serializer serializer, InProcessStateStore store) : IGrainStorage
{
    private readonly ConcurrentDictionary<string, (byte[] Data, string ETag)> _store = store.Entries;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_store.TryGetValue(Key(stateName, grainId), out var entry))
        {
            grainState.State = serializer.Deserialize<T>(entry.Data);
            grainState.ETag = entry.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var data = serializer.SerializeToArray(grainState.State);
        var etag = Guid.NewGuid().ToString("N");
        _store.AddOrUpdate(key,
            _ => grainState.ETag is null ? (data, etag) : throw Inconsistent(grainState.ETag, null),
            (_, current) => current.ETag == grainState.ETag ? (data, etag) : throw Inconsistent(grainState.ETag, current.ETag));
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _store.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    private static InconsistentStateException Inconsistent(string? expected, string? actual) =>
        new($"Stored state changed: expected ETag {expected}, found {actual}.", actual ?? "", expected ?? "");
}
