namespace MarginGrid.Abstractions.Ledger;

/// <summary>
/// What a reconciliation counted in one ledger partition (database): its account and fund streams, the
/// transactions and owned legs their events carry, and how many differences its store checks found.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.PartitionReconciliation")]
public sealed record PartitionReconciliation(
    [property: Id(0)] int Partition,
    [property: Id(1)] int Accounts,
    [property: Id(2)] int Funds,
    [property: Id(3)] long Transactions,
    [property: Id(4)] long Entries,
    [property: Id(5)] int Differences);
