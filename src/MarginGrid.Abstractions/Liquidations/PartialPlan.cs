namespace MarginGrid.Abstractions.Liquidations;

/// <summary>The partial step: reduce <see cref="Symbol"/> by <see cref="Quantity"/>.</summary>
[GenerateSerializer, Immutable, Alias("mg.PartialPlan")]
public sealed record PartialPlan(
    [property: Id(0)] string Symbol,
    [property: Id(1)] decimal Quantity);
