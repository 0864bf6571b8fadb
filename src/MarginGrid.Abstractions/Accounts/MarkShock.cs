namespace MarginGrid.Abstractions.Accounts;

/// <summary>A what-if's move of a market's current mark by a fraction (−0.1 is 10% down), rounded to the tick; above −1.</summary>
[GenerateSerializer, Immutable, Alias("mg.MarkShock")]
public sealed record MarkShock(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Shock);
