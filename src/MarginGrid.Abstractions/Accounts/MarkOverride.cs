namespace MarginGrid.Abstractions.Accounts;

/// <summary>A what-if's mark for a market, in place of its current one; a valid price of the market.</summary>
[GenerateSerializer, Immutable, Alias("mg.MarkOverride")]
public sealed record MarkOverride(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Price);
