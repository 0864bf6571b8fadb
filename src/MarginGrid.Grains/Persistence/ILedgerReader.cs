namespace MarginGrid.Grains.Persistence;

/// <summary>What reconciliation reads from the event store besides the streams themselves.</summary>
public interface ILedgerReader
{
    /// <summary>The names of every stream that starts with <paramref name="prefix"/>.</summary>
    Task<IReadOnlyList<string>> Streams(string prefix);

    /// <summary>
    /// Every ledger balance the store keeps: the sum of its entries, and its snapshot where the store keeps
    /// one beside them (the same number when it does not).
    /// </summary>
    Task<IReadOnlyList<LedgerTotal>> Totals();

    /// <summary>
    /// The store's partitions, each read on its own (reconciliation checks and counts each); a store kept
    /// in one place is its own only partition.
    /// </summary>
    IReadOnlyList<ILedgerReader> Partitions => [this];
}
