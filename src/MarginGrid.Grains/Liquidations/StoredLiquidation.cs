using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// One liquidation as a coordinator partition stores it: its record, and its work while it runs (null once it
/// has ended and only waits for the archive).
/// </summary>
[GenerateSerializer]
public sealed record StoredLiquidation(
    [property: Id(0)] LiquidationRecord Record,
    [property: Id(1)] LiquidationWork? Work);
