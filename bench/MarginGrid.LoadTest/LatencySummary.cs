using System.Text.Json.Serialization;

namespace MarginGrid.LoadTest;

/// <summary>Percentiles of a latency histogram, in milliseconds.</summary>
public sealed record LatencySummary(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("max")] double Max,
    [property: JsonPropertyName("count")] long Count)
{
    /// <summary>Nothing recorded.</summary>
    public static LatencySummary None { get; } = new(0, 0, 0, 0);
}
