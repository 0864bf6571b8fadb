namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Part of a stream: a snapshot (or none: the start of the stream) and the events right after it, oldest
/// first. The first event is at version <c>(Snapshot?.Version ?? 0) + 1</c>.
/// </summary>
public sealed record StreamSlice(StreamSnapshot? Snapshot, IReadOnlyList<StoredEvent> Events)
{
    public long Version => (Snapshot?.Version ?? 0) + Events.Count;
}
