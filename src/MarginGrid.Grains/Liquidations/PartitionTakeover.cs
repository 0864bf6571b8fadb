namespace MarginGrid.Grains.Liquidations;

/// <summary>
/// What <see cref="ILiquidationWorkStore.TakeOver"/> hands a coordinator activation: its fence, which every
/// write of this activation names, and the liquidations the partition holds.
/// </summary>
public sealed record PartitionTakeover(long Fence, IReadOnlyList<StoredLiquidation> Liquidations);
