using System.Collections.Concurrent;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The embedded default: streams kept in this process. Nothing is durable across a restart of the
/// process; a silo killed inside one process (the test cluster) loses nothing.
/// </summary>
public sealed class InMemoryEventLog : IEventLog
{
    private readonly ConcurrentDictionary<string, List<StoredEvent>> _streams = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<StoredEvent>> Read(string stream)
    {
        var events = _streams.GetOrAdd(stream, _ => []);
        lock (events)
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>([.. events]);
        }
    }

    public Task Append(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events)
    {
        var existing = _streams.GetOrAdd(stream, _ => []);
        lock (existing)
        {
            if (existing.Count != expectedVersion)
            {
                throw new EventLogConflictException(stream, expectedVersion, existing.Count);
            }

            existing.AddRange(events);
        }

        return Task.CompletedTask;
    }
}
