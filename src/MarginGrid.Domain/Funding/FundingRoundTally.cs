namespace MarginGrid.Domain.Funding;

/// <summary>
/// What the ledger holds of one recorded round: how many holders paid it and the sums that moved (<see cref="Paid"/>
/// by holders, <see cref="Received"/> by holders, both positive), and how many holders still hold the position
/// with the round not yet written (<see cref="Due"/>: counted by their grain, realised on their next command or by
/// the compaction).
/// </summary>
public sealed record FundingRoundTally(string Symbol, long Sequence, string SettlementId, int Payments, decimal Paid, decimal Received, int Due);
