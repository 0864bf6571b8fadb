namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// Conflation for a fan-out: runs one pass at a time over the newest value; values that arrive while a
/// pass runs replace each other (a mark is "latest wins"), so an overloaded grid lowers its update rate
/// instead of building a queue. <see cref="Submit"/> completes when a pass that started after the value
/// arrived has finished, i.e. when this value or a newer one has been delivered. Grain-scheduled: not
/// thread-safe, and needs none.
/// </summary>
public sealed class LatestWinsPump<T>(Func<T, Task> pass)
    where T : class
{
    private T? _pending;
    private TaskCompletionSource? _pendingDone;
    private Task _running = Task.CompletedTask;

    /// <summary>Values replaced before a pass took them.</summary>
    public long Conflated { get; private set; }

    public Task Submit(T value)
    {
        if (_pending is not null)
        {
            Conflated++;
        }

        _pending = value;
        _pendingDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var done = _pendingDone.Task;
        if (_running.IsCompleted)
        {
            _running = Run();
        }

        return done;
    }

    private async Task Run()
    {
        while (_pending is { } value)
        {
            var done = _pendingDone!;
            _pending = null;
            _pendingDone = null;
            try
            {
                await pass(value);
                done.TrySetResult();
            }
            catch (Exception error)
            {
                done.TrySetException(error);
            }
        }
    }
}
