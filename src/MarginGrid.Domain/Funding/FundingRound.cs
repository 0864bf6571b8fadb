namespace MarginGrid.Domain.Funding;

/// <summary>
/// One funding settlement of a market as its market recorded it: the <paramref name="Sequence"/>-th round
/// (1, 2, …), at one rate and mark. A holder pays it on the size it held when the round was recorded.
/// </summary>
public sealed record FundingRound(string SettlementId, long Sequence, decimal Rate, decimal MarkPrice);
