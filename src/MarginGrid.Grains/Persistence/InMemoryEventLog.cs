using System.Collections.Concurrent;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The embedded default: streams kept in this process. Nothing is durable across a restart of the
/// process; a silo killed inside one process (the test cluster) loses nothing.
/// </summary>
public sealed class InMemoryEventLog : IEventLog, ILedgerReader
{
    private readonly ConcurrentDictionary<string, List<StoredEvent>> _streams = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<StoredEvent>> Read(string stream)
    {
        // A read never creates a stream: reconciliation lists streams, and an unknown id must not appear there.
        if (!_streams.TryGetValue(stream, out var events))
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>([]);
        }

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

    public Task<IReadOnlyList<string>> Streams(string prefix) =>
        Task.FromResult<IReadOnlyList<string>>([.. _streams.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)]);

    /// <summary>Folds the owned legs of every stream; there is no separate snapshot here, so it equals the sum.</summary>
    public async Task<IReadOnlyList<LedgerTotal>> Totals()
    {
        var totals = new Dictionary<Domain.Ledger.LedgerAccount, (decimal Sum, long Count)>();
        foreach (var stream in _streams.Keys)
        {
            foreach (var stored in await Read(stream))
            {
                foreach (var (_, entry) in LedgerOwnership.OwnedEntries(stream, stored.Event))
                {
                    var (sum, count) = totals.GetValueOrDefault(entry.Account);
                    totals[entry.Account] = (sum + entry.Amount, count + 1);
                }
            }
        }

        return [.. totals.Select(t => new LedgerTotal(t.Key, t.Value.Sum, t.Value.Sum, t.Value.Count))];
    }
}
