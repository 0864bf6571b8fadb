namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// Where a liquidation coordinator partition keeps its running liquidations and the finished records the archive
/// has not confirmed: one entry per liquidation, so a step writes only the liquidations it changed, not the
/// whole partition (a cascade of thousands would otherwise rewrite megabytes per step).
/// </summary>
public interface ILiquidationWorkStore
{
    /// <summary>
    /// Takes the partition over: from now on writes of any earlier activation fail with
    /// <see cref="Orleans.Storage.InconsistentStateException"/>. Returns the new fence and what the partition holds.
    /// </summary>
    Task<PartitionTakeover> TakeOver(long partition);

    /// <summary>
    /// Stores <paramref name="changed"/> and deletes <paramref name="removed"/> atomically, if
    /// <paramref name="fence"/> is still the partition's newest; otherwise throws
    /// <see cref="Orleans.Storage.InconsistentStateException"/> and changes nothing. The entries are copied before
    /// the returned task first yields, so the caller may go on changing its objects.
    /// </summary>
    Task Write(long partition, long fence, IReadOnlyList<StoredLiquidation> changed, IReadOnlyList<string> removed);
}
