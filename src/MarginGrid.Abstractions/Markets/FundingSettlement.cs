namespace MarginGrid.Abstractions.Markets;

/// <summary>
/// A funding settlement of one market at one rate and mark, idempotent by <see cref="SettlementId"/>: the
/// market's <see cref="Sequence"/>-th round (1, 2, …), recorded once in the ledger and realised on each holder lazily.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.FundingSettlement")]
public sealed record FundingSettlement(
    [property: Id(0)] string Symbol,
    [property: Id(1)] string SettlementId,
    [property: Id(2)] decimal Rate,
    [property: Id(3)] decimal MarkPrice,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] long Sequence);
