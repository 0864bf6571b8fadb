namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Append-only event streams with compare-and-append on version: two activations of one account can never
/// both append at the same version. Money grains (accounts, insurance funds) are folds of their streams,
/// read and written through <see cref="EventStream{TState}"/>. A store keeps the newest snapshot per stream.
/// </summary>
public interface IEventLog
{
    /// <summary>Every event of <paramref name="stream"/>, oldest first; its count is the stream's version.</summary>
    Task<IReadOnlyList<StoredEvent>> Read(string stream);

    /// <summary>The newest snapshot of <paramref name="stream"/> (if any) and every event after it.</summary>
    Task<StreamSlice> Load(string stream);

    /// <summary>
    /// The stream up to and including the event that carries <paramref name="commandKey"/>: the newest snapshot
    /// taken before that event (if any) and the events after it, the keyed one last. Null when no event has the key.
    /// </summary>
    Task<StreamSlice?> ReadThrough(string stream, string commandKey);

    /// <summary>
    /// Appends at <paramref name="expectedVersion"/>; throws <see cref="EventLogConflictException"/> when the stream
    /// has moved on. A <paramref name="snapshot"/> (at <c>expectedVersion + events.Count</c>) is kept with the events,
    /// atomically, replacing an older one.
    /// </summary>
    Task Append(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events, StreamSnapshot? snapshot = null);
}
