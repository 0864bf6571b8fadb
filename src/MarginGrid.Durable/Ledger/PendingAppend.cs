using MarginGrid.Grains.Persistence;

namespace MarginGrid.Durable.Ledger;

/// <summary>An append waiting for its group commit; <see cref="Done"/> completes once the transaction carrying it has committed (or failed).</summary>
internal sealed class PendingAppend(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events, StreamSnapshot? snapshot)
{
    public string Stream { get; } = stream;

    public long ExpectedVersion { get; } = expectedVersion;

    public IReadOnlyList<StoredEvent> Events { get; } = events;

    public StreamSnapshot? Snapshot { get; } = snapshot;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
