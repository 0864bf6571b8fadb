using System.Collections.Concurrent;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The embedded default: streams kept in this process. Nothing is durable across a restart of the
/// process; a silo killed inside one process (the test cluster) loses nothing. It keeps the newest snapshot
/// per stream as the durable store does, so a grain behaves the same on both.
/// </summary>
public sealed class InMemoryEventLog : IEventLog, ILedgerReader
{
    private readonly ConcurrentDictionary<string, List<StoredEvent>> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StreamSnapshot> _snapshots = new(StringComparer.Ordinal);
    private long _eventsServed;

    /// <summary>How many events <see cref="Load"/> and <see cref="ReadThrough"/> have returned: what activations and replays cost.</summary>
    public long EventsServed => Interlocked.Read(ref _eventsServed);

    /// <summary>The newest snapshot kept for <paramref name="stream"/>, if any.</summary>
    public StreamSnapshot? SnapshotOf(string stream) => _snapshots.GetValueOrDefault(stream);

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

    public Task<StreamSlice> Load(string stream)
    {
        if (!_streams.TryGetValue(stream, out var events))
        {
            return Task.FromResult(new StreamSlice(null, []));
        }

        lock (events)
        {
            var snapshot = _snapshots.GetValueOrDefault(stream);
            var tail = events.Skip((int)(snapshot?.Version ?? 0)).ToList();
            Interlocked.Add(ref _eventsServed, tail.Count);
            return Task.FromResult(new StreamSlice(snapshot, tail));
        }
    }

    public Task<StreamSlice?> ReadThrough(string stream, string commandKey)
    {
        if (!_streams.TryGetValue(stream, out var events))
        {
            return Task.FromResult<StreamSlice?>(null);
        }

        lock (events)
        {
            var index = events.FindIndex(e => CommandKeys.Of(e.Event) == commandKey);
            if (index < 0)
            {
                return Task.FromResult<StreamSlice?>(null);
            }

            // Only the newest snapshot is kept: it serves when it was taken before the keyed event.
            var snapshot = _snapshots.GetValueOrDefault(stream) is { } newest && newest.Version <= index ? newest : null;
            var from = (int)(snapshot?.Version ?? 0);
            var slice = events.Skip(from).Take(index + 1 - from).ToList();
            Interlocked.Add(ref _eventsServed, slice.Count);
            return Task.FromResult<StreamSlice?>(new StreamSlice(snapshot, slice));
        }
    }

    public Task Append(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events, StreamSnapshot? snapshot = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        var existing = _streams.GetOrAdd(stream, _ => []);
        lock (existing)
        {
            if (existing.Count != expectedVersion)
            {
                throw new EventLogConflictException(stream, expectedVersion, existing.Count);
            }

            existing.AddRange(events);
            if (snapshot is not null && snapshot.Version == existing.Count)
            {
                _snapshots[stream] = snapshot;
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> Streams(string prefix) =>
        Task.FromResult<IReadOnlyList<string>>([.. _streams.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)]);

    /// <summary>
    /// Each stream copied under its own lock and handed on; the totals are folded from those same copies, so the
    /// store's side agrees with the events by construction here (the durable store is the one this checks).
    /// </summary>
    public Task<IReadOnlyList<LedgerTotal>> ReadConsistent(IReadOnlyList<string> prefixes, Action<string, IReadOnlyList<StoredEvent>> onStream)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        ArgumentNullException.ThrowIfNull(onStream);
        var totals = new Dictionary<Domain.Ledger.LedgerAccount, (decimal Sum, long Count)>();
        foreach (var stream in _streams.Keys.Where(k => prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).Order(StringComparer.Ordinal))
        {
            List<StoredEvent> copy;
            var events = _streams[stream];
            lock (events)
            {
                copy = [.. events];
            }

            onStream(stream, copy);
            foreach (var (_, entry) in copy.SelectMany(e => LedgerOwnership.OwnedEntries(stream, e.Event)))
            {
                var (sum, count) = totals.GetValueOrDefault(entry.Account);
                totals[entry.Account] = (sum + entry.Amount, count + 1);
            }
        }

        return Task.FromResult<IReadOnlyList<LedgerTotal>>([.. totals.Select(t => new LedgerTotal(t.Key, t.Value.Sum, t.Value.Sum, t.Value.Count))]);
    }

    /// <summary>Folds the owned legs of every stream; there is no separate snapshot here, so it equals the sum.</summary>
    public Task<IReadOnlyList<LedgerTotal>> Totals() => ReadConsistent([""], (_, _) => { });
}
