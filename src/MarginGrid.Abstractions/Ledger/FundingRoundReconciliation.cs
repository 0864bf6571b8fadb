namespace MarginGrid.Abstractions.Ledger;

/// <summary>
/// One funding round a market recorded, as the account ledgers hold it: how many holders paid it, what holders
/// paid and received in total (both positive), and how many holders still owe it unwritten (<see cref="Due"/>:
/// counted live, written with the holder's next command or by the compaction).
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.FundingRoundReconciliation")]
public sealed record FundingRoundReconciliation(
    [property: Id(0)] string Symbol,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string SettlementId,
    [property: Id(3)] int Payments,
    [property: Id(4)] decimal Paid,
    [property: Id(5)] decimal Received,
    [property: Id(6)] int Due);
