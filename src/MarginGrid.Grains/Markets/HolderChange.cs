namespace MarginGrid.Grains.Markets;

/// <summary>An event of a shard's registry: an account joined (opened a position in the market) or left it.</summary>
[GenerateSerializer, Immutable, Alias("mg.HolderChange")]
public sealed record HolderChange([property: Id(0)] string AccountId, [property: Id(1)] bool Joined);
