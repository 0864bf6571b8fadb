using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// A page of archived liquidation records; <see cref="Next"/> is the archive position to continue after,
/// null when this page reached the end.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.LiquidationPage")]
public sealed record LiquidationPage(
    [property: Id(0)] ImmutableArray<LiquidationRecord> Items,
    [property: Id(1)] long? Next);
