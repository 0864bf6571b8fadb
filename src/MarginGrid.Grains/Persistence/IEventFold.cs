namespace MarginGrid.Grains.Persistence;

/// <summary>How a grain's state is the fold of its stream: the one place that applies its events, and its snapshots.</summary>
public interface IEventFold<TState>
{
    /// <summary>The state of a stream with no events.</summary>
    TState Empty();

    /// <summary>Applies one stored event to <paramref name="state"/> (in place).</summary>
    void Apply(TState state, StoredEvent stored);

    /// <summary>An immutable record of <paramref name="state"/>, or null when this kind of stream is not snapshotted.</summary>
    object? Snapshot(TState state);

    /// <summary>A state equal to the one <paramref name="snapshot"/> was taken from.</summary>
    TState Restore(object snapshot);
}
