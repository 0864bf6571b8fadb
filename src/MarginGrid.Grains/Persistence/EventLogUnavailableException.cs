namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The event store could not be reached or did not confirm an append. Nothing was acknowledged; whether
/// the append landed is unknown, so the writer reloads from the log before its next command and a client
/// retries with the same idempotency id.
/// </summary>
public sealed class EventLogUnavailableException : Exception
{
    /// <summary>Carried in <see cref="Exception.Data"/>, so it survives the trip to a caller on another silo.</summary>
    private const string StreamKey = "margingrid.stream";

    public EventLogUnavailableException(string stream, Exception inner)
        : base($"The ledger is unavailable ({inner?.Message}); nothing was acknowledged for {stream}. Retry with the same id.", inner) =>
        Data[StreamKey] = stream;

    public string Stream => Data[StreamKey] as string ?? "";
}
