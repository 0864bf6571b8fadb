namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The event store could not be reached or did not confirm an append. Nothing was acknowledged; whether
/// the append landed is unknown, so the writer reloads from the log before its next command and a client
/// retries with the same idempotency id.
/// </summary>
/// <remarks>
/// The driver's error is kept as text (its type and message), not as the inner exception: this exception
/// crosses silos to the caller, and a driver exception has no codec there, so the whole reply would fail to
/// serialize and reach the client as a bare 500 instead of this 503.
/// </remarks>
public sealed class EventLogUnavailableException : Exception
{
    /// <summary>Carried in <see cref="Exception.Data"/>, so it survives the trip to a caller on another silo.</summary>
    private const string StreamKey = "margingrid.stream";

    public EventLogUnavailableException(string stream, Exception cause)
        : base($"The ledger is unavailable ({Describe(cause)}); nothing was acknowledged for {stream}. Retry with the same id.") =>
        Data[StreamKey] = stream;

    public string Stream => Data[StreamKey] as string ?? "";

    private static string Describe(Exception? cause) =>
        cause is null ? "no cause given" : $"{cause.GetType().Name}: {cause.Message}";
}
