using MarginGrid.Domain.Ledger;

namespace MarginGrid.Grains.Ledger;

/// <summary>A reconciliation's running counts in one ledger partition, and the balances its streams' events sum to.</summary>
internal sealed class PartitionTally
{
    public int Accounts { get; set; }

    public int Funds { get; set; }

    public long Transactions { get; set; }

    public long Entries { get; set; }

    public int Differences { get; set; }

    public Dictionary<LedgerAccount, decimal> FromEvents { get; } = [];
}
