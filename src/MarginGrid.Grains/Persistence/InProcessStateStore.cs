using System.Collections.Concurrent;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The bytes behind <see cref="InProcessGrainStorage"/> and <see cref="InProcessLiquidationWorkStore"/>; one
/// instance may serve every silo of a process.
/// </summary>
public sealed class InProcessStateStore
{
    public ConcurrentDictionary<string, (byte[] Data, string ETag)> Entries { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<long, InProcessLiquidationPartition> LiquidationPartitions { get; } = new();
}
