namespace MarginGrid.Grains.Persistence;

/// <summary>
/// Group commit inside one reentrant grain: events its commands decided are appended to its
/// <see cref="EventStream{TState}"/> in batches, one append in flight at a time; everything decided while an append
/// runs goes into the next one. Each caller's task completes when the batch carrying its event is durable (and the
/// events are applied to the stream's state). A failed append fails its batch and every later one without touching
/// the log again: the stream has already asked the grain to deactivate, and decisions taken on top of an append
/// that may not have happened must not reach the log. Not thread-safe: only for a grain's own scheduler.
/// </summary>
public sealed class StreamPipeline<TState>(EventStream<TState> stream) where TState : class
{
    private List<(StoredEvent Event, TaskCompletionSource Durable)> _waiting = [];
    private Task _draining = Task.CompletedTask;
    private Exception? _broken;

    /// <summary>Appends that carried more than one event: how often callers shared a commit.</summary>
    public long SharedAppends { get; private set; }

    public Task Append(StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_broken is not null)
        {
            return Task.FromException(new EventLogUnavailableException(stream.Name, _broken));
        }

        var durable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting.Add((stored, durable));
        if (_draining.IsCompleted)
        {
            _draining = Drain();
        }

        return durable.Task;
    }

    private async Task Drain()
    {
        while (_waiting.Count > 0)
        {
            var batch = _waiting;
            _waiting = [];
            if (batch.Count > 1)
            {
                SharedAppends++;
            }

            try
            {
                await stream.Append([.. batch.Select(b => b.Event)]);
            }
            catch (Exception error)
            {
                _broken = error;
                foreach (var (_, durable) in batch.Concat(_waiting))
                {
                    durable.TrySetException(error);
                }

                _waiting = [];
                return;
            }

            foreach (var (_, durable) in batch)
            {
                durable.TrySetResult();
            }
        }
    }
}
