namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Append-only event streams with compare-and-append on version: two activations of one account can never
/// both append at the same version. Money grains (accounts, insurance funds) are folds of their streams.
/// </summary>
public interface IEventLog
{
    /// <summary>Every event of <paramref name="stream"/>, oldest first; its count is the stream's version.</summary>
    Task<IReadOnlyList<StoredEvent>> Read(string stream);

    /// <summary>Appends at <paramref name="expectedVersion"/>; throws <see cref="EventLogConflictException"/> when the stream has moved on.</summary>
    Task Append(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events);
}
