namespace MarginGrid.Grains.Infrastructure;

/// <summary>
/// Runs an operation (a whole-state write, an archive flush) on behalf of many callers inside one activation:
/// every caller waits for a run that started after its call, and callers that arrive while a run is in flight
/// share the single run queued behind it, so many concurrent steps cost one write each time the previous one
/// returns. The conflation of <see cref="LatestWinsPump{T}"/> with nothing to conflate but the call itself.
/// Grain-scheduled: not thread-safe.
/// </summary>
public sealed class CoalescedRun
{
    private static readonly object Due = new();
    private readonly LatestWinsPump<object> _pump;

    public CoalescedRun(Func<Task> operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        _pump = new LatestWinsPump<object>(_ => operation());
    }

    public Task Run() => _pump.Submit(Due);
}
