using MarginGrid.Grains.Liquidations;
using Orleans.Serialization;
using Orleans.Storage;

namespace MarginGrid.Grains.Persistence;

/// <summary>
/// The embedded default's <see cref="ILiquidationWorkStore"/>: serialized copies held by the process (so a
/// partition moving to another silo of the process finds its work), fenced like the durable one.
/// </summary>
public sealed class InProcessLiquidationWorkStore(Serializer serializer, InProcessStateStore store) : ILiquidationWorkStore
{
    public Task<PartitionTakeover> TakeOver(long partition)
    {
        var stored = store.LiquidationPartitions.GetOrAdd(partition, _ => new InProcessLiquidationPartition());
        lock (stored.Gate)
        {
            stored.Fence++;
            var entries = stored.Entries.Values.Select(data => serializer.Deserialize<StoredLiquidation>(data)
                ?? throw new InvalidDataException($"An empty liquidation entry in partition {partition}.")).ToList();
            return Task.FromResult(new PartitionTakeover(stored.Fence, entries));
        }
    }

    public Task Write(long partition, long fence, IReadOnlyList<StoredLiquidation> changed, IReadOnlyList<string> removed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ArgumentNullException.ThrowIfNull(removed);
        var data = changed.Select(entry => (entry.Record.LiquidationId, serializer.SerializeToArray(entry))).ToList();
        var stored = store.LiquidationPartitions.GetOrAdd(partition, _ => new InProcessLiquidationPartition());
        lock (stored.Gate)
        {
            if (stored.Fence != fence)
            {
                throw new InconsistentStateException(
                    $"Liquidation partition {partition} was taken over (fence {fence}, now {stored.Fence}); this write is refused.");
            }

            foreach (var (id, bytes) in data)
            {
                stored.Entries[id] = bytes;
            }

            foreach (var id in removed)
            {
                stored.Entries.Remove(id);
            }
        }

        return Task.CompletedTask;
    }
}
