namespace MarginGrid.Abstractions.Liquidations;

/// <summary>A mark a breach was detected at, with its sequence number.</summary>
[GenerateSerializer, Immutable, Alias("mg.MarkAtBreach")]
public sealed record MarkAtBreach(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Price,
    [property: Id(2)] long Sequence);
