using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Markets;

/// <summary>A shard's durable registry is the fold of its joins and leaves: the set of its holders.</summary>
public sealed class ShardRegistryFold : IEventFold<HashSet<string>>
{
    public HashSet<string> Empty() => new(StringComparer.Ordinal);

    public void Apply(HashSet<string> state, StoredEvent stored)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(stored);
        var change = (HolderChange)stored.Event;
        _ = change.Joined ? state.Add(change.AccountId) : state.Remove(change.AccountId);
    }

    public object? Snapshot(HashSet<string> state) => new ShardSnapshot([.. state.Order(StringComparer.Ordinal)]);

    public HashSet<string> Restore(object snapshot) => new(((ShardSnapshot)snapshot).Holders, StringComparer.Ordinal);
}
