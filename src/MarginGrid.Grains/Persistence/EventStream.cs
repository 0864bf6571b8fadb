namespace MarginGrid.Grains.Persistence;

/// <summary>
/// One grain's event stream: loads the newest snapshot and the events after it, folds them (through
/// <see cref="IEventFold{TState}"/>, the one place events are applied), appends at its version and applies
/// the events only once the append is durable, snapshots every <c>snapshotEvery</c> events in the same append,
/// and looks old commands up in the log. It holds the state, never the history.
/// A conflict (another activation appended) or an unconfirmed append leaves the state possibly behind the log:
/// <paramref name="lost"/> is called (the grain deactivates, so its next call reloads) and the exception is rethrown.
/// </summary>
public sealed class EventStream<TState>(IEventLog log, string name, IEventFold<TState> fold, int snapshotEvery, Action lost)
    where TState : class
{
    private TState? _state;

    public string Name => name;

    /// <summary>The fold of every durable event; valid after <see cref="Load"/>.</summary>
    public TState State => _state ?? throw new InvalidOperationException($"Stream {name} is not loaded.");

    /// <summary>How many events the stream holds (the version the next append compares against).</summary>
    public long Version { get; private set; }

    /// <summary>How many events the last load folded (after its snapshot): what activation cost.</summary>
    public int LoadedEvents { get; private set; }

    public async Task Load()
    {
        var slice = await log.Load(name);
        _state = Fold(slice, slice.Events.Count);
        Version = slice.Version;
        LoadedEvents = slice.Events.Count;
    }

    /// <summary>Appends at <see cref="Version"/>; once durable, applies the events to <see cref="State"/>.</summary>
    public Task Append(IReadOnlyList<StoredEvent> events) => Append([], events);

    /// <summary>
    /// Appends <paramref name="counted"/> (events the state already applied ahead of the log, e.g. funding an
    /// account counts as soon as it hears of a round) followed by <paramref name="events"/>, in one append at
    /// <see cref="Version"/>; once durable, applies only <paramref name="events"/>.
    /// </summary>
    public async Task Append(IReadOnlyList<StoredEvent> counted, IReadOnlyList<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(counted);
        ArgumentNullException.ThrowIfNull(events);
        if (counted.Count + events.Count == 0)
        {
            return;
        }

        var state = State;
        var snapshot = SnapshotAfter(state, counted.Count, events);
        try
        {
            await log.Append(name, Version, [.. counted, .. events], snapshot);
        }
        catch (Exception error) when (error is EventLogConflictException or EventLogUnavailableException)
        {
            lost();
            throw;
        }

        foreach (var stored in events)
        {
            fold.Apply(state, stored);
        }

        Version += counted.Count + events.Count;
    }

    /// <summary>The command with <paramref name="commandKey"/> as it was applied, read from the log; null when none was.</summary>
    public async Task<StreamReplay<TState>?> Replay(string commandKey)
    {
        var slice = await log.ReadThrough(name, commandKey);
        if (slice is null || slice.Events.Count == 0)
        {
            return null;
        }

        var before = Fold(slice, slice.Events.Count - 1);
        var after = Fold(slice, slice.Events.Count);
        return new StreamReplay<TState>(before, slice.Events[^1].Event, after);
    }

    /// <summary>Every event of the stream, read from the log (a read path: ledger pages, never the commit path).</summary>
    public Task<IReadOnlyList<StoredEvent>> History() => log.Read(name);

    private TState Fold(StreamSlice slice, int count)
    {
        var state = slice.Snapshot is { } snapshot ? fold.Restore(snapshot.State) : fold.Empty();
        for (var i = 0; i < count; i++)
        {
            fold.Apply(state, slice.Events[i]);
        }

        return state;
    }

    /// <summary>
    /// The snapshot at the new version when this append crosses a multiple of <c>snapshotEvery</c>: taken from a
    /// copy with the events applied (the counted ones are in the state already), so the live state still
    /// changes only after the append is durable.
    /// </summary>
    private StreamSnapshot? SnapshotAfter(TState state, int counted, IReadOnlyList<StoredEvent> events)
    {
        var next = Version + counted + events.Count;
        if (snapshotEvery <= 0 || next / snapshotEvery == Version / snapshotEvery || fold.Snapshot(state) is not { } now)
        {
            return null;
        }

        var copy = fold.Restore(now);
        foreach (var stored in events)
        {
            fold.Apply(copy, stored);
        }

        return fold.Snapshot(copy) is { } after ? new StreamSnapshot(next, after) : null;
    }
}
