using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grid.Tests.Persistence;

/// <summary>
/// An in-memory log whose appends wait at a gate the test opens, or fail when told to: for seeing what a writer
/// does while an append is in flight. Counts the appends that reached it.
/// </summary>
public sealed class GatedEventLog : IEventLog
{
    private readonly InMemoryEventLog _log = new();
    private TaskCompletionSource _gate = NewGate();

    public List<int> AppendSizes { get; } = [];

    public bool FailNext { get; set; }

    /// <summary>Lets the appends waiting at the gate through; later ones wait at a new gate.</summary>
    public void Open()
    {
        var gate = _gate;
        _gate = NewGate();
        gate.SetResult();
    }

    public Task<IReadOnlyList<StoredEvent>> Read(string stream) => _log.Read(stream);

    public Task<StreamSlice> Load(string stream) => _log.Load(stream);

    public Task<StreamSlice?> ReadThrough(string stream, string commandKey) => _log.ReadThrough(stream, commandKey);

    public async Task Append(string stream, long expectedVersion, IReadOnlyList<StoredEvent> events, StreamSnapshot? snapshot = null)
    {
        AppendSizes.Add(events.Count);
        await _gate.Task;
        if (FailNext)
        {
            FailNext = false;
            throw new EventLogUnavailableException(stream, new TimeoutException("the commit was not confirmed"));
        }

        await _log.Append(stream, expectedVersion, events, snapshot);
    }

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
