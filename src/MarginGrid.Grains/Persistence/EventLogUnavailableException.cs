namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The event store could not be reached or did not confirm an append. Nothing was acknowledged; whether
/// the append landed is unknown, so the writer reloads from the log before its next command and a client
/// retries with the same idempotency id.
/// </summary>
public sealed class EventLogUnavailableException(string stream, Exception inner)
    : Exception($"The ledger is unavailable ({inner.Message}); nothing was acknowledged for {stream}. Retry with the same id.", inner)
{
    public string Stream { get; } = stream;
}
