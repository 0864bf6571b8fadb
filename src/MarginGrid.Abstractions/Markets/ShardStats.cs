namespace MarginGrid.Abstractions.Markets;

/// <summary>A shard's holders and their long open interest, with its fan-out counters.</summary>
[GenerateSerializer, Immutable, Alias("mg.ShardStats")]
public sealed record ShardStats(
    [property: Id(0)] int Holders,
    [property: Id(1)] decimal LongQuantity,
    [property: Id(2)] long Deliveries,
    [property: Id(3)] long Skipped,
    [property: Id(4)] long Conflated);
