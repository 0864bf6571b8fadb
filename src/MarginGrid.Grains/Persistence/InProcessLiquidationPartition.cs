namespace MarginGrid.Grains.Persistence;

/// <summary>One coordinator partition held by <see cref="InProcessLiquidationWorkStore"/>: serialized entries and the fence.</summary>
public sealed class InProcessLiquidationPartition
{
    public object Gate { get; } = new();

    public long Fence { get; set; }

    public Dictionary<string, byte[]> Entries { get; } = new(StringComparer.Ordinal);
}
