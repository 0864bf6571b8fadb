namespace MarginGrid.Abstractions.Accounts;

/// <summary>A position of a cross scope, as a shard needs it to value that scope at current marks.</summary>
[GenerateSerializer, Immutable, Alias("mg.HeldPosition")]
public sealed record HeldPosition(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Size,
    [property: Id(2)] decimal EntryPrice);
