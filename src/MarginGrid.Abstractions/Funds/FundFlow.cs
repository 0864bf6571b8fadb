namespace MarginGrid.Abstractions.Funds;

/// <summary>One movement of the insurance fund: a deposit, a liquidation fee, or a payout.</summary>
[GenerateSerializer, Immutable, Alias("mg.FundFlow")]
public sealed record FundFlow(
    [property: Id(0)] string TransactionId,
    [property: Id(1)] string Kind,
    [property: Id(2)] decimal Amount,
    [property: Id(3)] string? Reference,
    [property: Id(4)] DateTimeOffset At);
