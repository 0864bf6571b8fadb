namespace MarginGrid.Silo.Api;

/// <summary>
/// The API's own limits (configuration section <c>Api:Limits</c>): request bodies, and Server-Sent Event
/// streams per key and per silo. docs/operations.md, "Bounds and limits", lists them.
/// </summary>
public sealed class ApiLimits
{
    public const string Section = "Api:Limits";

    /// <summary>Largest request body of an ordinary command (bytes).</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Largest request body of a route marked with <see cref="LargeBody"/> (market definitions).</summary>
    public long MaxLargeBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Concurrent margin streams one API key may hold open on this silo.</summary>
    public int MaxStreamsPerKey { get; set; } = 16;

    /// <summary>Concurrent margin streams this silo serves in all.</summary>
    public int MaxStreamsPerSilo { get; set; } = 2000;
}
