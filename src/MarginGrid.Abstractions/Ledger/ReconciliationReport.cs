using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Ledger;

/// <summary>
/// What a reconciliation checked and every difference it found; <see cref="Exact"/> when none.
/// <see cref="Partitions"/> says what it counted in each ledger partition; <see cref="FundingRounds"/> what the
/// account ledgers hold of each recorded funding round, every payment of which was checked against its round.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.ReconciliationReport")]
public sealed record ReconciliationReport(
    [property: Id(0)] bool Exact,
    [property: Id(1)] int Accounts,
    [property: Id(2)] int Funds,
    [property: Id(3)] long Transactions,
    [property: Id(4)] long Entries,
    [property: Id(5)] int LedgerAccounts,
    [property: Id(6)] ImmutableArray<AssetTotal> AssetTotals,
    [property: Id(7)] ImmutableArray<ReconciliationDifference> Differences,
    [property: Id(8)] DateTimeOffset At,
    [property: Id(9)] ImmutableArray<PartitionReconciliation> Partitions,
    [property: Id(10)] ImmutableArray<FundingRoundReconciliation> FundingRounds);
