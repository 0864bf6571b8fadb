namespace MarginGrid.Abstractions.Liquidations;

/// <summary>A position of a scope being liquidated, with its mark.</summary>
[GenerateSerializer, Immutable, Alias("mg.ScopePosition")]
public sealed record ScopePosition(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Size,
    [property: Id(2)] decimal EntryPrice,
    [property: Id(3)] decimal Mark,
    [property: Id(4)] long MarkSequence);
