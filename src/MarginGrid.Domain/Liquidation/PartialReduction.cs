namespace MarginGrid.Domain.Liquidation;

/// <summary>The partial step: reduce <see cref="Symbol"/> by <see cref="Quantity"/>.</summary>
public sealed record PartialReduction(string Symbol, decimal Quantity);
