using System.Collections.Immutable;

namespace MarginGrid.Grains.Markets;

/// <summary>The holders registered in a market shard, in ordinal order.</summary>
public sealed record ShardSnapshot(ImmutableArray<string> Holders);
