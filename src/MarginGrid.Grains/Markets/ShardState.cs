namespace MarginGrid.Grains.Markets;

/// <summary>The persisted registry of a shard: the accounts that hold its market.</summary>
[GenerateSerializer]
public sealed class ShardState
{
    [Id(0)] public HashSet<string> Holders { get; set; } = new(StringComparer.Ordinal);
}
