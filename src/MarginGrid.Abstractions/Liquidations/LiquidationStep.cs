namespace MarginGrid.Abstractions.Liquidations;

/// <summary>
/// One step of a liquidation's trace: a partial or full close through the executor, an ADL match, a
/// fund payout, the fee, or a deficit. Amounts are in the scope's settlement asset.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.LiquidationStep")]
public sealed record LiquidationStep(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? Symbol,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal Price,
    [property: Id(4)] decimal Amount,
    [property: Id(5)] string? Counterparty,
    [property: Id(6)] DateTimeOffset At);
