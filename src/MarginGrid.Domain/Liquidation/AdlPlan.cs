namespace MarginGrid.Domain.Liquidation;

/// <summary>
/// The part of a position that the insurance fund cannot cover: <see cref="Quantity"/> of
/// <see cref="Symbol"/> is closed against counterparties at <see cref="BankruptcyPrice"/> (on the tick grid,
/// rounded in the liquidated trader's favour) instead of through the executor.
/// </summary>
public sealed record AdlPlan(string Symbol, decimal Quantity, decimal BankruptcyPrice);
