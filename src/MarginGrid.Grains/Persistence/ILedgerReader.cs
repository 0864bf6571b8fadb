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
    /// Reads, as of one moment, every stream whose name starts with one of <paramref name="prefixes"/> (each whole,
    /// in order, handed to <paramref name="onStream"/> one at a time, so a ledger never has to fit in memory) and
    /// the totals: what reconciliation compares while commands keep arriving. Across partitions there is no
    /// common moment; each partition is its own.
    /// </summary>
    Task<IReadOnlyList<LedgerTotal>> ReadConsistent(IReadOnlyList<string> prefixes, Action<string, IReadOnlyList<StoredEvent>> onStream);

    /// <summary>
    /// The store's partitions, each read on its own (reconciliation checks and counts each); a store kept
    /// in one place is its own only partition.
    /// </summary>
    IReadOnlyList<ILedgerReader> Partitions => [this];
}
